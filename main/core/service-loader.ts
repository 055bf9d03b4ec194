/**
 * Builds the inspector service's parts from the real core modules. Static imports only
 * (the Electron main process is bundled; a computed import path would not be).
 */
import type { Limits } from '../../shared/api/inspector-api';
import type { ServiceParts } from './service-parts';

export interface LoadedParts {
  parts: ServiceParts;
  limits: Limits;
}

/** Used until main/core/limits.ts (the proxy's defaults) is wired in. */
const FALLBACK_LIMITS: Limits = {
  maxHeadBytes: 64 * 1024,
  maxHeaderCount: 200,
  headTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
  upstreamConnectTimeoutMs: 10_000,
  upstreamFirstByteTimeoutMs: 60_000,
  maxConnections: 1024,
};

export async function defaultLimits(): Promise<Limits> {
  return { ...FALLBACK_LIMITS };
}

export async function loadParts(_dataDir: string): Promise<LoadedParts> {
  const parts: ServiceParts = {};
  return { parts, limits: await defaultLimits() };
}
