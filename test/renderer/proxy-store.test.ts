import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProxySettings, ProxyStatus } from '../../shared/api/inspector-api';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useProxyStore } from '../../renderer/src/stores/proxy-store';
import { fakeClient, type FakeClient } from './fake-client';

const settings: ProxySettings = {
  host: '127.0.0.1',
  port: 0,
  interceptHttps: false,
  noInterceptHosts: [],
  insecureUpstream: false,
};
const listening = (port: number, patch: Partial<ProxySettings> = {}): ProxyStatus => ({
  state: 'listening',
  settings: { ...settings, ...patch },
  address: { host: '127.0.0.1', port },
  error: null,
});

let client: FakeClient;
let started: Array<Partial<ProxySettings> | undefined>;

beforeEach(() => {
  setActivePinia(createPinia());
  started = [];
  client = fakeClient({
    getProxyStatus: async () => listening(4321),
    stopProxy: async () => ({ ...listening(4321), state: 'stopped', address: null }),
    startProxy: async (s) => {
      started.push(s);
      return listening(s?.port || 5555, s);
    },
  });
  setInspectorClient(client);
});

describe('proxy store', () => {
  it('turning HTTPS interception on restarts the proxy on the port in use', async () => {
    const proxy = useProxyStore();
    await proxy.start();
    await proxy.setInterceptHttps(true);
    expect(started).toEqual([{ interceptHttps: true, port: 4321 }]);
    expect(proxy.status?.settings.interceptHttps).toBe(true);
  });

  it('refuses a port that is not a number in words, without calling the API', async () => {
    const proxy = useProxyStore();
    await proxy.start();
    await proxy.changePort(70000);
    expect(started).toEqual([]);
    expect(proxy.notices.at(-1)?.message).toBe('"70000" is not a port number (0–65535).');
  });

  it('follows pushed proxy status and notices', async () => {
    const proxy = useProxyStore();
    await proxy.start();
    client.emit({
      type: 'proxy-status',
      status: {
        ...listening(1),
        state: 'error',
        error: { code: 'PROXY_PORT_IN_USE', message: 'Port 1 is in use' },
      },
    });
    client.emit({ type: 'notice', level: 'warning', message: 'Disk almost full' });
    expect(proxy.status?.state).toBe('error');
    expect(proxy.notices.map((n) => n.message)).toEqual(['Disk almost full']);
  });
});
