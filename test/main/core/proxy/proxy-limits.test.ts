/**
 * The limits of the settings object, enforced: a client too slow to send its head gets a
 * 408 (recorded with the bytes it sent), and connections beyond the cap get a 503.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: { headTimeoutMs: 300, maxConnections: 2 } });
});

afterAll(async () => {
  await h?.close();
});

describe('limits', () => {
  it('a head not complete within headTimeoutMs → 408, recorded with its bytes', async () => {
    const before = h.ended.length;
    const partial = 'GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    const r = await rawExchange(h.port, partial);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(r.closed).toBe(true);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('CLIENT_TIMEOUT');
    // The list shows what the partial head says, as for a malformed one.
    expect([ex.method, ex.url]).toEqual(['GET', 'http://127.0.0.1:1/']);
    expect((await h.raw(ex.id, 'request')).toString('latin1')).toBe(partial);
  });

  it('connections beyond maxConnections are refused with a 503', async () => {
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = net.connect(h.port, '127.0.0.1');
        await new Promise((resolve) => s.once('connect', resolve));
        idle.push(s);
      }
      // Accepted in arrival order: the two idle ones are counted before the next one.
      const r = await rawExchange(
        h.port,
        `GET http://127.0.0.1:${h.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(r.text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(r.text).toContain('too many connections');
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});
