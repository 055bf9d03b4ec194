/**
 * The listener: port 0 resolves to a real port, a taken port is PROXY_PORT_IN_USE, the
 * proxy knows its own address under loopback aliases, and a non-loopback host is warned.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  nonLoopbackWarning,
  ProxyServer,
} from '../../../../main/core/proxy/proxy-server';
import type { ExchangeRecorder } from '../../../../main/core/store/recorder-types';

// The listener tests never record anything; a recorder that fails loudly proves it.
const unusedRecorder: ExchangeRecorder = {
  openConnection: () => {
    throw new Error('no connection expected');
  },
  updateConnection: () => undefined,
  startExchange: () => {
    throw new Error('no exchange expected');
  },
};

describe('ProxyServer listener', () => {
  it('resolves port 0 and recognises its own address under loopback names', async () => {
    const proxy = new ProxyServer({ recorder: unusedRecorder });
    const { host, port } = await proxy.start({ host: '127.0.0.1', port: 0 });
    try {
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);
      expect(proxy.warnings).toEqual([]);
      for (const h of [
        '127.0.0.1',
        'localhost',
        'LOCALHOST',
        '[::1]',
        '127.0.0.2',
        'a.localhost',
      ]) {
        expect(proxy.isSelf(h, port), h).toBe(true);
      }
      expect(proxy.isSelf('127.0.0.1', port === 65535 ? 1 : port + 1)).toBe(false);
      expect(proxy.isSelf('example.com', port)).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it('a taken port is PROXY_PORT_IN_USE', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const proxy = new ProxyServer({ recorder: unusedRecorder });
      await expect(proxy.start({ host: '127.0.0.1', port })).rejects.toMatchObject({
        code: 'PROXY_PORT_IN_USE',
        message: `port ${port} on 127.0.0.1 is already in use`,
      });
    } finally {
      blocker.close();
    }
  });

  it('tells loopback from other hosts, and words the warning for the latter', () => {
    expect(['127.0.0.1', '::1', 'localhost', '127.1.2.3'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', 'example.com'].some(isLoopbackHost)).toBe(false);
    expect(nonLoopbackWarning('0.0.0.0')).toMatch(/0\.0\.0\.0.*Anyone who can reach/);
  });
});
