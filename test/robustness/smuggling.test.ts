/**
 * Request-smuggling classes and protocol ambiguities through the proxy: the client gets a
 * 4xx (501 for an unknown coding) naming the problem, the exchange is recorded with the
 * raw bytes received, and the origin never receives anything the proxy could not parse
 * unambiguously (nothing at all for head-level errors; never the bytes after a bad chunk).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, startRawOrigin, type RawOrigin } from '../support/origin-server';
import { startHarness, type Harness } from '../main/core/proxy/proxy-harness';

let origin: RawOrigin;
let h: Harness;

beforeAll(async () => {
  origin = await startRawOrigin(async (conn) => {
    await conn.waitFor('\r\n\r\n');
    conn.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  h = await startHarness({ limits: { maxHeadBytes: 8192, maxHeaderCount: 50 } });
});

afterAll(async () => {
  await h?.close();
  await origin?.close();
});

const T = (): string => `http://127.0.0.1:${origin.port}`;
const post = (headers: string, body = ''): string =>
  `POST ${T()}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n${body}`;

interface Case {
  name: string;
  raw: () => string;
  /** Acceptable statuses. */
  status: number[];
  /** For errors found in the body: the bytes that must never reach the origin. */
  neverForwarded?: string;
}

const headLevel: Case[] = [
  // CL.TE / TE.CL: both framings present, in either order.
  {
    name: 'CL.TE',
    raw: () => post('Content-Length: 6\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\nG'),
    status: [400],
  },
  {
    name: 'TE.CL',
    raw: () =>
      post('Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', '8\r\nSMUGGLED\r\n0\r\n\r\n'),
    status: [400],
  },
  // TE.TE: obfuscated Transfer-Encoding that some servers read as chunked and others not.
  {
    name: 'TE.TE xchunked',
    raw: () => post('Transfer-Encoding: xchunked\r\n', '0\r\n\r\n'),
    status: [400, 501],
  },
  {
    name: 'TE.TE space before colon',
    raw: () => post('Transfer-Encoding : chunked\r\n', '0\r\n\r\n'),
    status: [400],
  },
  {
    name: 'TE.TE chunked then identity',
    raw: () => post('Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n', '0\r\n\r\n'),
    status: [400, 501],
  },
  {
    name: 'TE.TE "chunked, identity"',
    raw: () => post('Transfer-Encoding: chunked, identity\r\n', '0\r\n\r\n'),
    status: [400, 501],
  },
  {
    name: 'TE.TE vertical tab',
    raw: () => post('Transfer-Encoding:\x0bchunked\r\n', '0\r\n\r\n'),
    status: [400, 501],
  },
  {
    name: 'TE.TE quoted',
    raw: () => post('Transfer-Encoding: "chunked"\r\n', '0\r\n\r\n'),
    status: [400, 501],
  },
  {
    name: 'TE.TE obs-fold',
    raw: () => post('Transfer-Encoding:\r\n chunked\r\n', '0\r\n\r\n'),
    status: [400],
  },
  {
    name: 'TE with HTTP/1.0 smuggled CL',
    raw: () => post('Content-Length: 0\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
    status: [400],
  },
  // Content-Length ambiguities.
  {
    name: 'duplicate differing Content-Length',
    raw: () => post('Content-Length: 5\r\nContent-Length: 6\r\n', 'hello!'),
    status: [400],
  },
  {
    name: 'Content-Length list with different values',
    raw: () => post('Content-Length: 5, 6\r\n', 'hello!'),
    status: [400],
  },
  {
    name: 'Content-Length with a sign',
    raw: () => post('Content-Length: +5\r\n', 'hello'),
    status: [400],
  },
  {
    name: 'Content-Length in hex',
    raw: () => post('Content-Length: 0x5\r\n', 'hello'),
    status: [400],
  },
  {
    name: 'Content-Length with inner space',
    raw: () => post('Content-Length: 1 5\r\n', 'hello'),
    status: [400],
  },
  {
    name: 'Content-Length overflow',
    raw: () => post('Content-Length: 99999999999999999999999\r\n', 'x'),
    status: [400],
  },
  // Line structure.
  {
    name: 'obs-fold',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`,
    status: [400],
  },
  { name: 'bare LF line ending', raw: () => `GET ${T()}/ HTTP/1.1\nHost: x\n\n`, status: [400] },
  {
    name: 'bare LF in one header line',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\nX-B: y\r\n\r\n`,
    status: [400],
  },
  {
    name: 'bare CR in a header value',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n`,
    status: [400],
  },
  {
    name: 'NUL in a header value',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n`,
    status: [400],
  },
  {
    name: 'control byte in a header name',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX\x01A: b\r\n\r\n`,
    status: [400],
  },
  {
    name: 'DEL in a header value',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n`,
    status: [400],
  },
  {
    name: 'empty header name',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n`,
    status: [400],
  },
  {
    name: 'header line without a colon',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n`,
    status: [400],
  },
  // Sizes.
  {
    name: 'oversized head',
    raw: () => `GET ${T()}/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`,
    status: [431],
  },
  {
    name: 'too many header lines',
    raw: () =>
      `GET ${T()}/ HTTP/1.1\r\n${Array.from({ length: 60 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`,
    status: [431],
  },
  {
    name: 'oversized request line',
    raw: () => `GET ${T()}/${'p'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [414, 431, 400],
  },
  // Methods and targets.
  {
    name: 'method with a space inside',
    raw: () => `G ET ${T()}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  {
    name: 'method with a separator',
    raw: () => `GE(T ${T()}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  { name: 'empty method', raw: () => ` ${T()}/ HTTP/1.1\r\nHost: x\r\n\r\n`, status: [400] },
  {
    name: 'double space before the target',
    raw: () => `GET  ${T()}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  {
    name: 'space inside the target',
    raw: () => `GET ${T()}/a b HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  { name: 'missing target', raw: () => `GET HTTP/1.1\r\nHost: x\r\n\r\n`, status: [400] },
  {
    name: 'control byte in the target',
    raw: () => `GET ${T()}/\x01 HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  {
    name: 'port out of range',
    raw: () => `GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  {
    name: 'authority with a space',
    raw: () => `GET http://127.0.0.1 :${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  {
    name: 'userinfo confusion in the authority',
    raw: () => `GET http://127.0.0.1:${origin.port}@evil.invalid/ HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: [400],
  },
  { name: 'bad version', raw: () => `GET ${T()}/ HTTP/1.x\r\nHost: x\r\n\r\n`, status: [400, 505] },
  {
    name: 'lowercase version',
    raw: () => `GET ${T()}/ http/1.1\r\nHost: x\r\n\r\n`,
    status: [400, 505],
  },
  {
    name: 'two Host headers',
    raw: () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${origin.port}\r\nHost: evil.invalid\r\n\r\n`,
    status: [400],
  },
];

const bodyLevel: Case[] = [
  {
    name: 'over-long chunk size',
    raw: () =>
      post('Transfer-Encoding: chunked\r\n', 'fffffffffffffffffffff\r\nSMUGGLE\r\n0\r\n\r\n'),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
  {
    name: 'negative chunk size',
    raw: () => post('Transfer-Encoding: chunked\r\n', '-1\r\nSMUGGLE\r\n0\r\n\r\n'),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
  {
    name: 'chunk size with 0x prefix',
    raw: () => post('Transfer-Encoding: chunked\r\n', '0x5\r\nSMUGGLE\r\n0\r\n\r\n'),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
  {
    name: 'chunk data longer than its size',
    raw: () => post('Transfer-Encoding: chunked\r\n', '2\r\nabSMUGGLE\r\n0\r\n\r\n'),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
  {
    name: 'chunk-extension abuse',
    raw: () =>
      post('Transfer-Encoding: chunked\r\n', `1;${'e'.repeat(20_000)}\r\nSMUGGLE\r\n0\r\n\r\n`),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
  {
    name: 'bare LF after a chunk size',
    raw: () => post('Transfer-Encoding: chunked\r\n', '7\nSMUGGLE\r\n0\r\n\r\n'),
    status: [400],
    neverForwarded: 'SMUGGLE',
  },
];

async function expectRefused(c: Case): Promise<void> {
  const before = h.ended.length;
  const receivedBefore = Buffer.concat(origin.received).length;
  const raw = c.raw();
  const r = await rawExchange(h.port, raw);
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(r.text)?.[1]);
  expect(c.status, `${c.name}: got ${r.text.slice(0, 200)}`).toContain(status);
  // A reason in plain words, not an empty error.
  expect(r.text.split('\r\n\r\n')[1]?.trim().length).toBeGreaterThan(10);
  const [ex] = (await h.waitForEnded(before + 1)).slice(before);
  expect(ex.state).toBe('failed');
  const recorded = (await h.raw(ex.id, 'request')).toString('latin1');
  expect(recorded.length).toBeGreaterThan(0);
  expect(raw.startsWith(recorded)).toBe(true);
  const forwarded = Buffer.concat(origin.received).subarray(receivedBefore).toString('latin1');
  if (c.neverForwarded) expect(forwarded).not.toContain(c.neverForwarded);
  else expect(forwarded).toBe('');
}

describe('protocol ambiguities are refused, recorded, never forwarded', () => {
  for (const c of headLevel) it(`head: ${c.name}`, () => expectRefused(c));
  for (const c of bodyLevel) it(`body: ${c.name}`, () => expectRefused(c));

  it('still serves a normal request afterwards', async () => {
    const r = await rawExchange(h.port, `GET ${T()}/ok HTTP/1.1\r\nHost: x\r\n\r\n`, {
      until: (b) => b.includes('\r\n\r\nok'),
    });
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});
