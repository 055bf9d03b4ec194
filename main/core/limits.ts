/**
 * Default limits for untrusted traffic (the `Limits` settings object of the contract).
 * Every timeout and size cap the proxy applies comes from one object so the UI can show
 * and change them in one place (issue 9). Values follow common server defaults: nginx
 * allows 8 KiB lines and ~32 KiB heads, Node's http 16 KiB; we are a debugging tool and
 * accept bigger heads (64 KiB) so that what a real site sends is never refused.
 */
import type { Limits } from '../../shared/api/inspector-api';

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

/** Fills unset fields from the defaults. */
export function resolveLimits(patch: Partial<Limits> = {}): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(patch) as Array<keyof Limits>) {
    const value = patch[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
