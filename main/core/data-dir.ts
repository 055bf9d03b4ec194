/**
 * Where Wirelens keeps its data (capture log, CA): `--data-dir`, else `WIRELENS_DATA_DIR`,
 * else the platform's per-user application data folder. Created with mode 0700 because it
 * holds captured traffic (cookies, tokens) and the CA private key.
 */
import { mkdirSync, chmodSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Wirelens';

export interface DataDirOptions {
  /** From `--data-dir`. */
  dataDir?: string;
  /** Injectable for tests; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Injectable for tests; default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Injectable for tests; default `os.homedir()`. */
  homeDir?: string;
}

/** The platform's per-user data folder for the app (not created). */
export function platformDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homeDir, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(homeDir, 'Library', 'Application Support', APP_DIR_NAME);
  }
  // XDG: an empty or relative XDG_CONFIG_HOME must be ignored (XDG Base Directory spec).
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(base, APP_DIR_NAME);
}

/** Picks the data folder by precedence (flag, env, platform) without creating it. */
export function pickDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.dataDir) return path.resolve(options.dataDir);
  if (env.WIRELENS_DATA_DIR) return path.resolve(env.WIRELENS_DATA_DIR);
  return platformDataDir(env, options.platform, options.homeDir);
}

/**
 * Resolves the data folder and makes sure it exists, private to the user (0700).
 * An existing folder that is not a directory is a clear error.
 */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const dir = pickDataDir(options);
  const invalid = (why: string): Error =>
    Object.assign(new Error(`Cannot use ${dir} as the data folder: ${why}`), {
      code: 'DATA_DIR_INVALID',
    });
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw invalid('it is not a folder');
  // mkdir's mode is masked by umask and ignored for existing folders; tighten explicitly
  // when we own it (POSIX only: Windows has no such bits).
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700);
    } catch {
      // Not ours (e.g. a shared folder passed on purpose): leave it, the user chose it.
    }
  }
  return dir;
}
