/** The proxy store's limits for the Settings dialog (issue 9). */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Limits } from '../../shared/api/inspector-api';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useProxyStore } from '../../renderer/src/stores/proxy-store';
import { fakeClient } from './fake-client';

const limits: Limits = {
  maxHeadBytes: 1024,
  maxHeaderCount: 10,
  headTimeoutMs: 1000,
  idleTimeoutMs: 2000,
  upstreamConnectTimeoutMs: 3000,
  upstreamFirstByteTimeoutMs: 4000,
  maxConnections: 5,
};

beforeEach(() => setActivePinia(createPinia()));

describe('proxy store limits', () => {
  it('reads the limits through the client', async () => {
    let calls = 0;
    setInspectorClient(
      fakeClient({
        getLimits: async () => {
          calls++;
          return limits;
        },
      }),
    );
    const proxy = useProxyStore();
    expect(proxy.limits).toBeNull();
    await proxy.loadLimits();
    expect(calls).toBe(1);
    expect(proxy.limits).toEqual(limits);
    expect(proxy.limitsError).toBeNull();
  });

  it('turns a failure into words and keeps no stale error after a later success', async () => {
    let fail = true;
    setInspectorClient(
      fakeClient({
        getLimits: async () => {
          if (fail) throw { code: 'NOT_AVAILABLE', message: 'no limits here' };
          return limits;
        },
      }),
    );
    const proxy = useProxyStore();
    await proxy.loadLimits();
    expect(proxy.limitsError).toBe('Could not read the limits: no limits here (NOT_AVAILABLE)');
    expect(proxy.limits).toBeNull();
    fail = false;
    await proxy.loadLimits();
    expect(proxy.limitsError).toBeNull();
    expect(proxy.limits).toEqual(limits);
  });
});
