/**
 * Resource limits: thousands of idle keep-alive connections at once without running out
 * of file descriptors or crashing, and a configurable maximum refused clearly beyond it.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../main/core/proxy/proxy-harness';
import { rawExchange, startHttpOrigin, type HttpOrigin } from '../support/origin-server';

let origin: HttpOrigin;

beforeAll(async () => {
  origin = await startHttpOrigin((_req, res) => res.end('ok'));
});
afterAll(async () => {
  await origin?.close();
});

function connectMany(port: number, n: number): Promise<net.Socket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.on('error', reject);
        }),
    ),
  );
}

describe('connection limits', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('holds 2,000 idle keep-alive connections and still serves', async () => {
    h = await startHarness();
    const url = `http://127.0.0.1:${origin.port}/`;
    const sockets = await connectMany(h.port, 2000);
    try {
      // A tenth of them made a request first and stay open (keep-alive) afterwards.
      await Promise.all(
        sockets.slice(0, 200).map(
          (s) =>
            new Promise<void>((resolve) => {
              s.once('data', () => resolve());
              s.write(`GET ${url} HTTP/1.1\r\nHost: x\r\n\r\n`);
            }),
        ),
      );
      const r = await rawExchange(h.port, `GET ${url}fresh HTTP/1.1\r\nHost: x\r\n\r\n`, {
        until: (b) => b.includes('\r\n\r\nok'),
      });
      expect(r.text).toMatch(/^HTTP\/1\.1 200/);
      expect(sockets.every((s) => !s.destroyed)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it('refuses connections beyond the configured maximum with a clear 503', async () => {
    const limited = await startHarness({ limits: { maxConnections: 20 } });
    const sockets = await connectMany(limited.port, 20);
    try {
      const r = await rawExchange(
        limited.port,
        `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(r.text).toMatch(/^HTTP\/1\.1 503 /);
      expect(r.text).toContain('too many connections');
      expect(r.closed).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await limited.close();
    }
  });
});
