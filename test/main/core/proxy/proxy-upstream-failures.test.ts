/**
 * Upstream failures become a 502/504 page in plain words and a failed exchange with a
 * stable code: DNS failure, connection refused, no answer (timeout), malformed response,
 * reset mid-body.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rawExchange,
  runCurl,
  startRawOrigin,
  type RawOrigin,
} from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;
const origins: RawOrigin[] = [];

beforeAll(async () => {
  h = await startHarness({
    limits: { upstreamFirstByteTimeoutMs: 800, upstreamConnectTimeoutMs: 5000 },
  });
});

afterAll(async () => {
  await h?.close();
  for (const o of origins) await o.close();
});

async function origin(script: Parameters<typeof startRawOrigin>[0]): Promise<RawOrigin> {
  const o = await startRawOrigin(script);
  origins.push(o);
  return o;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('upstream failures', () => {
  it('DNS failure → 502 UPSTREAM_DNS_FAILED', async () => {
    const before = h.ended.length;
    // .invalid never resolves (RFC 6761); in tests the lookup is answered on this machine
    // (test/support/loopback-dns.mjs), so no query leaves it.
    const r = await runCurl([
      '-x',
      h.proxyUrl,
      '-w',
      '\\n%{http_code}',
      'http://no-such-host.invalid/x',
    ]);
    const [body, code] = r.stdout.toString().split(/\n(?=\d+$)/);
    expect(code).toBe('502');
    expect(body).toContain('UPSTREAM_DNS_FAILED');
    expect(body).toContain('no-such-host.invalid');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_DNS_FAILED');
    expect(h.detail(ex.id).summary.state).toBe('failed');
    expect(h.detail(ex.id).timings.dnsStart).toBeDefined();
  });

  it('connection refused → 502 UPSTREAM_CONNECT_FAILED', async () => {
    const before = h.ended.length;
    const port = await closedPort();
    const r = await runCurl([
      '-x',
      h.proxyUrl,
      '-w',
      '\\n%{http_code}',
      `http://127.0.0.1:${port}/`,
    ]);
    expect(r.stdout.toString()).toMatch(/refused[\s\S]*\n502$/);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_CONNECT_FAILED');
    expect(ex.status).toBeNull();
  });

  it('an origin that never answers → 504 UPSTREAM_TIMEOUT (first-byte limit)', async () => {
    const o = await origin(() => undefined);
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/never HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    expect(r.text).toContain('sent no response within 800 ms');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_TIMEOUT');
    // The request did reach the origin.
    expect(o.received[0].toString()).toMatch(/^GET \/never HTTP\/1\.1\r\n/);
  });

  it('a malformed response → 502 with the parse error; raw bytes recorded', async () => {
    const bad = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc';
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      c.socket.end(bad);
    });
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/bad HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(r.text).toContain('CONFLICTING_CONTENT_LENGTH');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_PARSE_ERROR');
    expect((await h.raw(ex.id, 'response')).toString('latin1')).toBe(bad);
    expect(h.detail(ex.id).response?.issues[0]?.code).toBe('CONFLICTING_CONTENT_LENGTH');
  });

  it('a reset mid-body → client connection closed, UPSTREAM_RESET, bytes so far recorded', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n';
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      c.socket.write(head + 'x'.repeat(100));
      setTimeout(() => c.socket.resetAndDestroy(), 50);
    });
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/cut HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.closed).toBe(true);
    expect(r.text).toBe(head + 'x'.repeat(100)); // the head was sent; then the connection cut
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_RESET');
    expect(ex.status).toBe(200);
    expect((await h.raw(ex.id, 'response')).toString('latin1')).toBe(head + 'x'.repeat(100));
  });

  it('an origin closing before answering → 502 UPSTREAM_RESET', async () => {
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      c.socket.destroy();
    });
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/gone HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 502 /);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_RESET');
  });
});
