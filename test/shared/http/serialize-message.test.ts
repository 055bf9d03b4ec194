import { describe, expect, it } from 'vitest';
import { serializeMessage } from '../../../shared/http/serialize-message';
import { splitMessage } from '../../../shared/http/split-message';
import { unescapeRaw, escapeBytes } from './fixture-format';

/** Parses raw bytes and serializes the unmodified parts back. */
function roundTrip(raw: Uint8Array, kind: 'request' | 'response' = 'request'): Uint8Array {
  const m = splitMessage(raw, kind);
  if (!m.layout) throw new Error('no layout');
  return serializeMessage({
    startLine: m.startLine,
    headers: m.headers.map(([n, v]) => [n, v]),
    body: raw.subarray(m.body.start, m.body.end),
    original: { bytes: raw, startLine: m.startLine, headers: m.headers, spans: m.layout },
  });
}

const odd = unescapeRaw(
  'POST /x HTTP/1.1\\r\\nhost:a.test\\r\\nX-Spaces:   padded   \\r\\nX-Fold: one\\r\\n two\\r\\n' +
    'content-length: 5\\r\\n\\r\\nhello',
);

describe('serializeMessage', () => {
  it('an unmodified parsed message is byte-identical, odd spacing and folding included', () => {
    expect(escapeBytes(roundTrip(odd))).toBe(escapeBytes(odd));
  });

  it('bare LF line endings survive a round trip too (lenient parse)', () => {
    const raw = unescapeRaw('HTTP/1.1 200 OK\\nA: 1\\n\\nbody');
    expect(escapeBytes(roundTrip(raw, 'response'))).toBe(escapeBytes(raw));
  });

  it('a chunked body with trailers is kept as on the wire', () => {
    const raw = unescapeRaw(
      'HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3;x\\r\\nabc\\r\\n0\\r\\nT: 1\\r\\n\\r\\n',
    );
    expect(escapeBytes(roundTrip(raw, 'response'))).toBe(escapeBytes(raw));
  });

  it('an edited header is written canonically; the other lines stay as they were', () => {
    const m = splitMessage(odd, 'request');
    const headers = m.headers.map(([n, v]) => [n, v] as [string, string]);
    headers[0][1] = 'b.test';
    headers.push(['X-New', '1']);
    const out = serializeMessage({
      startLine: m.startLine,
      headers,
      body: new TextEncoder().encode('hello'),
      original: { bytes: odd, startLine: m.startLine, headers: m.headers, spans: m.layout! },
    });
    expect(escapeBytes(out)).toBe(
      'POST /x HTTP/1.1\\r\\nhost: b.test\\r\\nX-Spaces:   padded   \\r\\nX-Fold: one\\r\\n two\\r\\n' +
        'content-length: 5\\r\\nX-New: 1\\r\\n\\r\\nhello',
    );
  });

  it('fixContentLength rewrites the first Content-Length and drops duplicates', () => {
    const out = serializeMessage(
      {
        startLine: 'POST / HTTP/1.1',
        headers: [
          ['Host', 'a'],
          ['Content-Length', '2'],
          ['content-length', '2'],
        ],
        body: new TextEncoder().encode('four'),
      },
      { fixContentLength: true },
    );
    expect(new TextDecoder().decode(out)).toBe(
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nfour',
    );
  });

  it('fixContentLength adds Content-Length when missing, not for chunked messages', () => {
    const body = new TextEncoder().encode('abc');
    const added = serializeMessage(
      { startLine: 'PUT / HTTP/1.1', headers: [['Host', 'a']], body },
      { fixContentLength: true },
    );
    expect(new TextDecoder().decode(added)).toContain('Content-Length: 3\r\n\r\nabc');
    const chunked = serializeMessage(
      { startLine: 'PUT / HTTP/1.1', headers: [['Transfer-Encoding', 'chunked']], body },
      { fixContentLength: true },
    );
    expect(new TextDecoder().decode(chunked)).not.toContain('Content-Length');
    const empty = serializeMessage(
      { startLine: 'GET / HTTP/1.1', headers: [['Host', 'a']] },
      { fixContentLength: true },
    );
    expect(new TextDecoder().decode(empty)).toBe('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  });

  it('latin1 header values are written byte for byte', () => {
    const out = serializeMessage({
      startLine: 'GET / HTTP/1.1',
      headers: [['X', 'caf\u00e9\u0080']],
    });
    expect(Array.from(out.subarray(19, 24))).toEqual([0x63, 0x61, 0x66, 0xe9, 0x80]);
  });
});
