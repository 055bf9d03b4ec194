/**
 * The range each limit of the contract's `Limits` may be set to (setLimits checks it; the
 * Settings dialog shows it). Below the minimum the proxy could not work (a head limit
 * under 1 KiB refuses ordinary requests, a timeout under 100 ms fails on any real
 * network); above the maximum a mistake would let one client hold the machine.
 */
import type { Limits } from './inspector-api';

export const LIMIT_RANGES: Readonly<Record<keyof Limits, readonly [min: number, max: number]>> =
  Object.freeze({
    maxHeadBytes: [1024, 16 * 1024 * 1024],
    maxHeaderCount: [16, 10_000],
    headTimeoutMs: [100, 3_600_000],
    idleTimeoutMs: [100, 86_400_000],
    upstreamConnectTimeoutMs: [100, 600_000],
    upstreamFirstByteTimeoutMs: [100, 3_600_000],
    maxConnections: [1, 100_000],
  });
