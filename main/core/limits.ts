/**
 * Default limits for untrusted traffic (the `Limits` settings object of the contract).
 * Every timeout and size cap the proxy applies comes from one object so the UI can show
 * and change them in one place (issue 9). Values follow common server defaults: nginx
 * allows 8 KiB lines and ~32 KiB heads, Node's http 16 KiB; we are a debugging tool and
 * accept bigger heads (64 KiB) so that what a real site sends is never refused.
 */
import type { Limits } from '../../shared/api/inspector-api';
import { LIMIT_RANGES } from '../../shared/api/limit-ranges';

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxHeadBytes: 64 * 1024,
  maxHeaderCount: 256,
  /** A client must finish sending a request head within this time (then 408). */
  headTimeoutMs: 30_000,
  /** Idle keep-alive connections (client side and the upstream pool) close after this. */
  idleTimeoutMs: 60_000,
  upstreamConnectTimeoutMs: 10_000,
  /** From the last request byte to the first response byte. */
  upstreamFirstByteTimeoutMs: 60_000,
  /** Simultaneous client connections; beyond it new connections get a 503 and are closed. */
  maxConnections: 4096,
});

/**
 * Checks limits that come from outside (the UI, limits.json): an object whose keys are
 * limit names and whose values are whole numbers in range. Throws an Error naming the
 * first bad field; returns only the fields given.
 */
export function checkLimits(value: unknown): Partial<Limits> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('limits must be an object of limit names and numbers');
  }
  const out: Partial<Limits> = {};
  for (const [key, n] of Object.entries(value)) {
    if (!Object.hasOwn(LIMIT_RANGES, key)) throw new Error(`unknown limit "${key}"`);
    const [min, max] = LIMIT_RANGES[key as keyof Limits];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`${key} must be a whole number from ${min} to ${max}`);
    }
    out[key as keyof Limits] = n;
  }
  return out;
}

/** Fills unset fields from the defaults. */
export function resolveLimits(patch: Partial<Limits> = {}): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(patch) as Array<keyof Limits>) {
    const value = patch[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
