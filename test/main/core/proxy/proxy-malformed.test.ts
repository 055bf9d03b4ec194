/**
 * Strict parsing of client input: every malformed request gets its status and a plain
 * body naming the problem, is recorded as a failed exchange with the raw bytes received,
 * and never reaches the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, startRawOrigin, type RawOrigin } from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let origin: RawOrigin;
let h: Harness;

beforeAll(async () => {
  // Answers anything with a fixed response; counts what it received.
  origin = await startRawOrigin(async (conn) => {
    await conn.waitFor('\r\n\r\n');
    conn.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  h = await startHarness({ limits: { maxHeadBytes: 4096, maxHeaderCount: 20 } });
});

afterAll(async () => {
  await h?.close();
  await origin?.close();
});

const T = (): string => `http://127.0.0.1:${origin.port}`;
const cases: Array<{ name: string; raw: () => string; status: number; code: string }> = [
  {
    name: 'Content-Length with Transfer-Encoding (CL.TE smuggling)',
    raw: () =>
      `POST ${T()}/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
    code: 'CONTENT_LENGTH_AND_TRANSFER_ENCODING',
  },
  {
    name: 'conflicting Content-Length',
    raw: () =>
      `POST ${T()}/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    status: 400,
    code: 'CONFLICTING_CONTENT_LENGTH',
  },
  {
    name: 'obs-fold',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`,
    status: 400,
    code: 'OBS_FOLD',
  },
  {
    name: 'invalid method token',
    raw: () => `G(T ${T()}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: 400,
    code: 'INVALID_METHOD',
  },
  {
    name: 'a head over the size limit',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(5000)}\r\n\r\n`,
    status: 431,
    code: 'HEAD_TOO_LARGE',
  },
  {
    name: 'too many header lines',
    raw: () =>
      `GET ${T()}/ HTTP/1.1\r\n${Array.from({ length: 30 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`,
    status: 431,
    code: 'TOO_MANY_HEADERS',
  },
  {
    name: 'an unknown transfer coding',
    raw: () =>
      `POST ${T()}/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n`,
    status: 501,
    code: 'UNKNOWN_TRANSFER_CODING',
  },
  {
    name: 'two Host headers',
    raw: () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${origin.port}\r\nHost: evil.example\r\n\r\n`,
    status: 400,
    code: 'more than one Host header',
  },
  {
    name: 'origin-form without Host',
    raw: () => `GET / HTTP/1.1\r\n\r\n`,
    status: 400,
    code: 'without a Host header',
  },
];

describe('malformed client requests', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status}, recorded, not forwarded`, async () => {
      const before = h.ended.length;
      const connectionsBefore = origin.received.length;
      const raw = c.raw();
      const r = await rawExchange(h.port, raw);
      expect(r.text).toMatch(new RegExp(`^HTTP/1\\.1 ${c.status} `));
      expect(r.text).toContain('Content-Type: text/plain');
      expect(r.text.split('\r\n\r\n')[1]).toContain(c.code);
      expect(r.closed).toBe(true);
      const [ex] = (await h.waitForEnded(before + 1)).slice(before);
      expect(ex.error?.code).toBe('CLIENT_PARSE_ERROR');
      expect(ex.error?.message).toContain(c.code);
      const d = h.detail(ex.id);
      expect(d.summary.state).toBe('failed');
      expect(d.request?.issues.length).toBeGreaterThan(0);
      // The raw bytes received are kept (all of them that were read before the refusal).
      const recorded = (await h.raw(ex.id, 'request')).toString('latin1');
      expect(recorded.length).toBeGreaterThan(0);
      expect(raw.startsWith(recorded)).toBe(true);
      expect(origin.received.length).toBe(connectionsBefore);
    });
  }

  it('a bad chunk size after the head was forwarded: 400, upstream cut, exchange failed', async () => {
    const before = h.ended.length;
    const raw = `POST ${T()}/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`;
    const r = await rawExchange(h.port, raw);
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(r.text).toContain('INVALID_CHUNK_SIZE');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('CLIENT_PARSE_ERROR');
    expect((await h.raw(ex.id, 'request')).toString('latin1')).toBe(raw);
  });

  it('a client that closes mid-head is recorded as aborted with its bytes', async () => {
    const before = h.ended.length;
    const partial = `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-Cut: `;
    await new Promise<void>((resolve) => {
      void import('node:net').then(({ default: net }) => {
        const s = net.connect(h.port, '127.0.0.1', () => s.end(partial));
        s.on('close', () => resolve());
        s.resume();
      });
    });
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('CLIENT_ABORTED');
    expect((await h.raw(ex.id, 'request')).toString('latin1')).toBe(partial);
  });
});
