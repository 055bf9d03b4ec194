import { describe, expect, it } from 'vitest';
import type { Limits } from '../../shared/api/inspector-api';
import { DEFAULT_LIMITS } from '../../main/core/limits';
import {
  describeLimits,
  formatByteLimit,
  formatDurationLimit,
} from '../../renderer/src/lib/limits-text';

describe('limits in words', () => {
  it('describes the defaults with units', () => {
    const byKey = Object.fromEntries(describeLimits(DEFAULT_LIMITS).map((l) => [l.key, l]));
    expect(byKey.maxHeadBytes).toMatchObject({ label: 'Largest message head', value: '64 KiB' });
    expect(byKey.maxHeaderCount?.value).toBe('256 fields');
    expect(byKey.headTimeoutMs).toMatchObject({ label: 'Head timeout', value: '30 s' });
    expect(byKey.idleTimeoutMs?.value).toBe('60 s');
    expect(byKey.upstreamConnectTimeoutMs?.value).toBe('10 s');
    expect(byKey.upstreamFirstByteTimeoutMs?.value).toBe('60 s');
    expect(byKey.maxConnections?.value).toBe('4096 connections');
  });

  it('lists every field of Limits exactly once', () => {
    const keys = describeLimits(DEFAULT_LIMITS).map((l) => l.key);
    expect([...keys].sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
  });

  it('keeps odd values exact rather than rounding them', () => {
    expect(formatByteLimit(1000)).toBe('1000 bytes');
    expect(formatByteLimit(1)).toBe('1 byte');
    expect(formatByteLimit(1536)).toBe('1536 bytes');
    expect(formatByteLimit(2 * 1024 * 1024)).toBe('2 MiB');
    expect(formatDurationLimit(1500)).toBe('1500 ms');
    expect(formatDurationLimit(250)).toBe('250 ms');
    const odd: Limits = { ...DEFAULT_LIMITS, headTimeoutMs: 2500 };
    expect(describeLimits(odd).find((l) => l.key === 'headTimeoutMs')?.value).toBe('2500 ms');
  });
});
