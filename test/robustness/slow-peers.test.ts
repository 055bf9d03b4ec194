/**
 * Slow and stuck peers: a client that trickles its head, a client that never reads, an
 * upstream that never answers, an upstream that resets mid-body. Each ends in a clear
 * status (or a closed connection), a recorded failed exchange, and flat memory.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../main/core/proxy/proxy-harness';
import { rawExchange, startRawOrigin, type RawOrigin } from '../support/origin-server';

let h: Harness;
let silent: RawOrigin;
let resetting: RawOrigin;
let huge: RawOrigin;

beforeAll(async () => {
  silent = await startRawOrigin(() => undefined);
  resetting = await startRawOrigin(async (conn) => {
    await conn.waitFor('\r\n\r\n');
    conn.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000));
    setTimeout(() => conn.socket.resetAndDestroy(), 50);
  });
  // 256 MiB, written only as fast as the proxy takes it.
  huge = await startRawOrigin(async (conn) => {
    await conn.waitFor('\r\n\r\n');
    const total = 256 * 2 ** 20;
    conn.socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !conn.socket.destroyed) {
        sent += chunk.length;
        if (!conn.socket.write(chunk)) return void conn.socket.once('drain', pump);
      }
    };
    pump();
  });
  h = await startHarness({
    limits: { headTimeoutMs: 2_000, upstreamFirstByteTimeoutMs: 1_500 },
  });
});

afterAll(async () => {
  await h?.close();
  await Promise.all([silent?.close(), resetting?.close(), huge?.close()]);
});

describe('slow and stuck peers', () => {
  it('a client sending one byte per second gets 408 and is closed; the exchange is recorded', async () => {
    const before = h.ended.length;
    const head = `GET http://127.0.0.1:${silent.port}/slow HTTP/1.1\r\nHost: x\r\n\r\n`;
    const socket = net.connect(h.port, '127.0.0.1');
    let received = '';
    socket.on('data', (c) => (received += c.toString('latin1')));
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed && i < head.length) socket.write(head[i++]);
    }, 1000);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(timer);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(i).toBeLessThan(head.length);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('CLIENT_TIMEOUT');
    // Every byte the proxy read before the timeout is kept (the last one may race the timer).
    const recorded = (await h.raw(ex.id, 'request')).toString('latin1');
    expect(recorded.length).toBeGreaterThanOrEqual(i - 1);
    expect(head.slice(0, i).startsWith(recorded)).toBe(true);
  });

  it('an upstream that never answers → 504 after the first-byte timeout, recorded', async () => {
    const before = h.ended.length;
    const r = await rawExchange(
      h.port,
      `GET http://127.0.0.1:${silent.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
      {
        until: (b) => b.includes('\r\n\r\n'),
      },
    );
    expect(r.text).toMatch(/^HTTP\/1\.1 504 /);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code, JSON.stringify(h.ended.slice(before))).toBe('UPSTREAM_TIMEOUT');
  });

  it('an upstream reset mid-body closes the client and keeps the bytes received so far', async () => {
    const before = h.ended.length;
    const r = await rawExchange(
      h.port,
      `GET http://127.0.0.1:${resetting.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(r.closed).toBe(true);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK/);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.state).toBe('failed');
    expect(ex.error?.code).toBe('UPSTREAM_RESET');
    const recorded = await h.raw(ex.id, 'response');
    expect(recorded.toString('latin1')).toContain('x'.repeat(1000));
  });

  it('a client that never reads: backpressure holds memory flat', async () => {
    const socket = net.connect(h.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.pause();
    socket.write(`GET http://127.0.0.1:${huge.port}/big HTTP/1.1\r\nHost: x\r\n\r\n`);
    // Let buffers fill up to the point where backpressure stops the origin.
    await new Promise((r) => setTimeout(r, 1500));
    const first = process.memoryUsage().rss;
    await new Promise((r) => setTimeout(r, 1500));
    const second = process.memoryUsage().rss;
    socket.destroy();
    // Without backpressure the proxy would buffer the 256 MiB body as fast as loopback goes.
    expect((second - first) / 2 ** 20).toBeLessThan(32);
  });
});
