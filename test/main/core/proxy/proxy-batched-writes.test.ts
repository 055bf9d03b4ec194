/**
 * What the proxy's write batching must keep: the pieces of a response that arrive in one
 * chunk leave as one write and are recorded as one piece, but every byte reaches the client
 * and the store unchanged and in order — interim responses first, heads split across
 * chunks, bodies in many chunks, keep-alive responses one after another. And the forwarded
 * request head: a Host line already equal to the target's authority is sent as received,
 * any other is rewritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasResponses,
  rawExchange,
  startRawOrigin,
  type RawConnection,
  type RawOrigin,
} from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;
const origins: RawOrigin[] = [];

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
  for (const o of origins) await o.close();
});

async function origin(script: (c: RawConnection) => void | Promise<void>): Promise<RawOrigin> {
  const o = await startRawOrigin(script);
  origins.push(o);
  return o;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('batched response writes', () => {
  it('an interim 100 and the final response in one chunk: both sent and recorded as received', async () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const final = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      c.socket.write(interim + final);
    });
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/i HTTP/1.1\r\nHost: x\r\n\r\n`, {
      until: (b) => b.toString('latin1').endsWith('hello'),
    });
    expect(r.text).toBe(interim + final);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.status).toBe(200);
    expect(ex.responseBytes).toBe(interim.length + final.length);
    expect((await h.raw(ex.id, 'response')).toString('latin1')).toBe(interim + final);
    expect(h.detail(ex.id).informational?.map((m) => m.startLine)).toEqual([
      'HTTP/1.1 100 Continue',
    ]);
  });

  it('a head split across chunks and a body in several: the same bytes, in order', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 30\r\n\r\n';
    const parts = [
      head.slice(0, 20),
      head.slice(20) + 'a'.repeat(10),
      'b'.repeat(10),
      'c'.repeat(10),
    ];
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      for (const p of parts) {
        c.socket.write(p);
        await pause(30); // separate reads on the proxy's side
      }
    });
    const before = h.ended.length;
    const r = await rawExchange(h.port, `GET ${o.url}/split HTTP/1.1\r\nHost: x\r\n\r\n`, {
      until: hasResponses(1),
    });
    expect(r.text).toBe(parts.join(''));
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.status).toBe(200);
    expect((await h.raw(ex.id, 'response')).toString('latin1')).toBe(parts.join(''));
  });

  it('keep-alive: each response whole and recorded with its own exchange', async () => {
    const answer = (n: number): string =>
      `HTTP/1.1 200 OK\r\nContent-Length: ${String(n).length}\r\n\r\n${n}`;
    let served = 0;
    const o = await origin(async (c) => {
      for (let n = 1; n <= 3; n++) {
        await c.waitFor((b) => b.toString('latin1').split('\r\n\r\n').length > n);
        served++;
        c.socket.write(answer(n));
      }
    });
    const before = h.ended.length;
    const socket = await import('node:net').then((net) => net.connect(h.port, '127.0.0.1'));
    let got = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => (got = Buffer.concat([got, c])));
    for (let n = 1; n <= 3; n++) {
      socket.write(`GET ${o.url}/${n} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await h.waitForEnded(before + n);
    }
    while (!hasResponses(3)(got)) await pause(10);
    socket.destroy();
    expect(served).toBe(3);
    expect(got.toString('latin1')).toBe(answer(1) + answer(2) + answer(3));
    const ended = h.ended.slice(before, before + 3);
    for (let i = 0; i < 3; i++) {
      expect((await h.raw(ended[i].id, 'response')).toString('latin1')).toBe(answer(i + 1));
    }
  });
});

describe('forwarded request head', () => {
  /** What the origin received for a request with the Host line `host(authority)`. */
  async function forwarded(host: (authority: string) => string): Promise<string> {
    const o = await origin(async (c) => {
      await c.waitFor('\r\n\r\n');
      c.socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const authority = `127.0.0.1:${o.port}`;
    const request =
      `GET ${o.url}/p?q=1 HTTP/1.1\r\nUser-Agent: t\r\n${host(authority)}\r\n` +
      `Accept: */*\r\nConnection: keep-alive\r\n\r\n`;
    await rawExchange(h.port, request, { until: (b) => b.includes('\r\n\r\n') });
    return o.received[0].toString('latin1').replace(authority, 'AUTHORITY');
  }

  it('a Host equal to the target authority goes on byte for byte', async () => {
    expect(await forwarded((a) => `Host: ${a}`)).toBe(
      'GET /p?q=1 HTTP/1.1\r\nUser-Agent: t\r\nHost: AUTHORITY\r\nAccept: */*\r\n\r\n',
    );
  });

  it('any other Host line is replaced by the authority; hop-by-hop lines dropped', async () => {
    const expected =
      'GET /p?q=1 HTTP/1.1\r\nUser-Agent: t\r\nHost: AUTHORITY\r\nAccept: */*\r\n\r\n';
    expect(await forwarded(() => 'Host: elsewhere.example')).toBe(expected);
    // The same value with other spacing: rewritten to the one canonical form.
    expect(await forwarded((a) => `Host:\t${a}`)).toBe(expected);
    expect(await forwarded((a) => `Host: ${a} `)).toBe(expected);
    expect(await forwarded((a) => `host: ${a}`)).toBe(
      'GET /p?q=1 HTTP/1.1\r\nUser-Agent: t\r\nhost: AUTHORITY\r\nAccept: */*\r\n\r\n',
    );
  });
});
