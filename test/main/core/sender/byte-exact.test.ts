/**
 * What reaches the server is exactly what the user composed (exact mode), or that with
 * only the asked-for edits — checked on a raw TCP server that keeps every byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../../../main/core/sender/send-request';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

/** Sends `raw`, has the server answer once `expectedLength` bytes arrived, returns what it got. */
async function sendAndCapture(
  raw: string | Buffer,
  options: Parameters<typeof sendRequest>[0]['options'],
  expectedLength: number,
) {
  const arrived = server.nextConnection().then(async (conn) => {
    const got = await conn.waitFor((b) => b.length >= expectedLength);
    conn.write(OK);
    return got;
  });
  const result = await sendRequest({
    raw: typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw,
    target: { host: '127.0.0.1', port: server.port, tls: false },
    options,
  });
  const received = await arrived;
  return { result, received: received.toString('latin1') };
}

const EXACT = { fixContentLength: false, normalizeLineEndings: false };

describe('exact mode: malformed requests arrive byte for byte', () => {
  const malformed: Array<[string, string]> = [
    ['bare LF', 'GET /lf HTTP/1.1\nHost: example.test\nX-A: 1\n\n'],
    [
      'duplicate Content-Length',
      'POST /d HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc',
    ],
    [
      'Content-Length with Transfer-Encoding',
      'POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['obs-fold', 'GET /f HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n\tb\r\n c\r\n\r\n'],
    [
      'body longer than Content-Length',
      'POST /l HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nabcdef',
    ],
    ['lowercase method, odd spacing', 'get  /x  HTTP/1.1\r\nHost:h\r\nX :y\r\n\r\n'],
  ];
  for (const [name, raw] of malformed) {
    it(name, async () => {
      const { result, received } = await sendAndCapture(raw, EXACT, raw.length);
      expect(received).toBe(raw);
      expect(Buffer.from(result.sent).toString('latin1')).toBe(raw);
      expect(result.error).toBeNull();
      expect(result.response?.startLine).toBe('HTTP/1.1 200 OK');
    });
  }

  it('binary body bytes, including NUL and high bytes', async () => {
    const raw = Buffer.concat([
      Buffer.from('PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 256\r\n\r\n'),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    ]);
    const { received } = await sendAndCapture(raw, EXACT, raw.length);
    expect(Buffer.from(received, 'latin1').equals(raw)).toBe(true);
  });
});

describe('edits, each on and off, as seen on the wire', () => {
  const typed = 'POST /e HTTP/1.1\nHost: h\nContent-Length: 10\n\n123456789012';

  it('both on: CRLF head and Content-Length 12', async () => {
    const expected = 'POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n123456789012';
    const { result, received } = await sendAndCapture(typed, {}, expected.length);
    expect(received).toBe(expected);
    expect(result.warnings).toContain('Content-Length set to 12 (was "10")');
  });

  it('normalise only: CRLF head, Content-Length still 10', async () => {
    const expected = 'POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n123456789012';
    const { result, received } = await sendAndCapture(
      typed,
      { fixContentLength: false, normalizeLineEndings: true },
      expected.length,
    );
    expect(received).toBe(expected);
    expect(result.warnings).toContain('Content-Length says 10, body has 12 bytes');
  });

  it('fix only: LF head kept, Content-Length 12', async () => {
    const expected = 'POST /e HTTP/1.1\nHost: h\nContent-Length: 12\n\n123456789012';
    const { received } = await sendAndCapture(
      typed,
      { fixContentLength: true, normalizeLineEndings: false },
      expected.length,
    );
    expect(received).toBe(expected);
  });

  it('the target is separate from the Host header', async () => {
    const raw = 'GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n';
    const { result, received } = await sendAndCapture(raw, {}, raw.length);
    expect(received).toBe(raw);
    expect(result.target).toEqual({ host: '127.0.0.1', port: server.port, tls: false });
  });
});
