import { describe, expect, it } from 'vitest';
import { splitMessage, splitRawText } from '../../../shared/http/split-message';
import { unescapeRaw } from './fixture-format';

const slice = (b: Uint8Array, s: { start: number; end: number }): string =>
  new TextDecoder('latin1').decode(b.subarray(s.start, s.end));

describe('splitMessage', () => {
  it('splits a request into start line, header lines, header block and body spans', () => {
    const raw = unescapeRaw('POST /a HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3\\r\\n\\r\\nabc');
    const m = splitMessage(raw, 'request');
    expect(m.startLine).toBe('POST /a HTTP/1.1');
    expect(m.method).toBe('POST');
    expect(m.target).toBe('/a');
    expect(m.headers).toEqual([
      ['Host', 'x'],
      ['Content-Length', '3'],
    ]);
    const l = m.layout!;
    expect(slice(raw, l.startLine)).toBe('POST /a HTTP/1.1');
    expect(l.headerLines.map((s) => slice(raw, s))).toEqual(['Host: x', 'Content-Length: 3']);
    expect(slice(raw, l.headerBlock)).toBe('Host: x\r\nContent-Length: 3\r\n\r\n');
    expect(slice(raw, m.body)).toBe('abc');
    expect(m.framing).toBe('content-length');
    expect(m.complete).toBe(true);
    expect(m.issues).toEqual([]);
  });

  it('a final response after 1xx: spans point past the interim responses', () => {
    const raw = unescapeRaw(
      'HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok',
    );
    const m = splitMessage(raw, 'response');
    expect(m.statusCode).toBe(200);
    expect(m.informational.map((i) => i.statusCode)).toEqual([100]);
    expect(slice(raw, m.layout!.startLine)).toBe('HTTP/1.1 200 OK');
    expect(slice(raw, m.body)).toBe('ok');
  });

  it('HEAD responses have no body; the request method is an option', () => {
    const raw = unescapeRaw('HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\n');
    const m = splitMessage(raw, 'response', { requestMethod: 'HEAD' });
    expect(m.framing).toBe('none');
    expect(m.complete).toBe(true);
    expect(m.body).toEqual({ start: raw.length, end: raw.length });
  });

  it('malformed input still splits, with issues at offsets into the bytes', () => {
    const raw = unescapeRaw('GET / HTTP/1.1\\nBad Name: 1\\r\\n\\r\\n');
    const m = splitMessage(raw, 'request');
    expect(m.headers).toEqual([['Bad Name', '1']]);
    expect(m.issues.map((i) => `${i.code}@${i.offset}`)).toEqual([
      'BARE_LF@14',
      'INVALID_HEADER_TOKEN@18',
    ]);
  });

  it('an unframeable head (invalid Content-Length) is still shown with its lines', () => {
    const raw = unescapeRaw('POST / HTTP/1.1\\r\\nContent-Length: abc\\r\\n\\r\\nbody');
    const m = splitMessage(raw, 'request');
    expect(m.headers).toEqual([['Content-Length', 'abc']]);
    expect(m.issues.map((i) => i.code)).toEqual(['INVALID_CONTENT_LENGTH']);
    expect(m.complete).toBe(false);
    expect(slice(raw, m.body)).toBe('body');
  });

  it('a truncated body: incomplete, body runs to the end of what was recorded', () => {
    const raw = unescapeRaw('HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\nabc');
    const m = splitMessage(raw, 'response');
    expect(m.complete).toBe(false);
    expect(slice(raw, m.body)).toBe('abc');
    expect(m.issues.map((i) => `${i.code}@${i.offset}`)).toEqual([
      `INCOMPLETE_MESSAGE@${raw.length}`,
    ]);
  });

  it('not HTTP at all: the first line for display, no layout', () => {
    const raw = unescapeRaw('\\x16\\x03\\x01 binary');
    const m = splitMessage(raw, 'request');
    expect(m.layout).toBeUndefined();
    expect(m.issues[0].code).toBe('INCOMPLETE_MESSAGE');
  });

  it('bytes after the message are reported as extra', () => {
    const raw = unescapeRaw('GET /1 HTTP/1.1\\r\\n\\r\\nGET /2 HTTP/1.1\\r\\n\\r\\n');
    const m = splitMessage(raw, 'request');
    expect(m.target).toBe('/1');
    expect(m.extra).toEqual({ start: 19, end: raw.length });
  });
});

describe('splitRawText', () => {
  it('normalizes head line endings to CRLF and keeps the typed body whatever the framing', () => {
    const r = splitRawText(
      'POST /api HTTP/1.1\nHost: a\nContent-Type: text/plain\n\nline1\nline2 ✓',
    );
    expect(new TextDecoder().decode(r.head)).toBe(
      'POST /api HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n\r\n',
    );
    expect(new TextDecoder().decode(r.body)).toBe('line1\nline2 ✓');
    expect(r.message.headers).toEqual([
      ['Host', 'a'],
      ['Content-Type', 'text/plain'],
    ]);
    expect(r.message.body).toEqual({ start: r.head.length, end: r.head.length + r.body.length });
    expect(r.message.issues).toEqual([]);
  });

  it('a head with no empty line is all head; non-latin1 in the head is reported', () => {
    const r = splitRawText('GET / HTTP/1.1\nX-Name: ✓\n');
    expect(r.body.length).toBe(0);
    expect(r.message.headers).toEqual([['X-Name', '?']]);
    expect(r.message.issues.map((i) => `${i.code}@${i.offset}`)).toEqual([
      'INVALID_HEADER_VALUE@24',
    ]);
  });
});
