/**
 * The limits the user chose (Settings), kept in `<data folder>/limits.json` (owner-only)
 * so the next run — the app, `wirelens web` or `wirelens capture` on the same folder —
 * applies them too. A missing file means the defaults; a damaged one is reported in words
 * and the defaults are used, never a failed start.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Limits } from '../../shared/api/inspector-api';
import { checkLimits, DEFAULT_LIMITS } from './limits';

export const LIMITS_FILE = 'limits.json';

export interface LoadedLimits {
  limits: Limits;
  /** Set when the file existed but could not be used. */
  warning?: string;
}

export function loadLimits(dataDir: string): LoadedLimits {
  const file = path.join(dataDir, LIMITS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { limits: { ...DEFAULT_LIMITS } };
  }
  try {
    return { limits: { ...DEFAULT_LIMITS, ...checkLimits(JSON.parse(text)) } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      limits: { ...DEFAULT_LIMITS },
      warning: `${file} could not be used (${reason}); the default limits apply.`,
    };
  }
}

/** Writes only the limits that differ from the defaults, so new defaults still reach users. */
export function saveLimits(dataDir: string, limits: Limits): void {
  const changed: Partial<Limits> = {};
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    if (limits[key] !== DEFAULT_LIMITS[key]) changed[key] = limits[key];
  }
  writeFileSync(path.join(dataDir, LIMITS_FILE), `${JSON.stringify(changed, null, 2)}\n`, {
    mode: 0o600,
  });
}
