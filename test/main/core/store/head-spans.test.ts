/**
 * Compact messages (main/core/store/head-spans.ts): a message the parser cut from its
 * bytes is written as spans only and comes back identical; one that does not match its
 * bytes is never written compact.
 */
import { describe, expect, it } from 'vitest';
import { splitMessage, type SplitMessage } from '../../../../shared/http/split-message';
import { derivable, expandMessage, isCompact } from '../../../../main/core/store/head-spans';
import { messageJson } from '../../../../main/core/store/message-json';
import { writeCompactMessage } from '../../../../main/core/store/exchange-line';
import { JsonBytes } from '../../../../main/core/store/json-bytes';
import type { CompactMessage, LoggedMessage } from '../../../../main/core/store/log-format';

const bytesOf = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function logged(m: SplitMessage): LoggedMessage {
  const out: LoggedMessage = {
    startLine: m.startLine,
    headers: m.headers,
    issues: m.issues,
    complete: m.complete,
    layout: m.layout,
  };
  if (m.framing) out.framing = m.framing;
  if (m.trailers.length > 0) out.trailers = m.trailers;
  return out;
}

const REQUESTS = [
  'GET http://127.0.0.1:9000/a?b=c HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nAccept: */*\r\n\r\n',
  'POST /form HTTP/1.1\r\nHost:x\r\nX-Tabs:\t spaced \t\r\nX-Empty:\r\nX-Empty-Spaced:   \r\n' +
    'Content-Length: 3\r\n\r\nabc',
  // A byte above 0x7f in a value: one character per byte (latin1), as the parser decodes it.
  'GET / HTTP/1.1\r\nHost: h\r\nX-Latin: caf\xe9 \xff\r\nX-Colon: a:b::c\r\n\r\n',
  `GET /many HTTP/1.1\r\n${Array.from({ length: 60 }, (_, i) => `X-H${i}: v${i}`).join('\r\n')}\r\n\r\n`,
  'GET / HTTP/1.1\r\n\r\n',
];

const RESPONSES = [
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi',
  // 1xx first: the final message's spans start after it, in the same side's bytes.
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n',
  'HTTP/1.1 204 \r\nDate: Fri, 27 Nov 2026 02:00:00 GMT\r\n\r\n',
];

function compactText(m: LoggedMessage): string {
  const out = new JsonBytes();
  writeCompactMessage(out, m);
  return Buffer.from(out.end()).toString('utf8');
}

function roundTrip(m: LoggedMessage, bytes: Uint8Array): LoggedMessage {
  const text = compactText(m);
  expect(text).not.toContain('"headers"');
  const compact = JSON.parse(text) as CompactMessage;
  expect(isCompact(compact)).toBe(true);
  return expandMessage(compact, bytes);
}

describe('compact messages (spans instead of strings)', () => {
  it.each(REQUESTS)('gives a parsed request back exactly: %j', (raw) => {
    const bytes = bytesOf(raw);
    const m = logged(splitMessage(bytes, 'request'));
    expect(m.issues).toEqual([]);
    expect(derivable(m, bytes)).toBe(true);
    expect(roundTrip(m, bytes)).toEqual(m);
  });

  it.each(RESPONSES)('gives a parsed response back exactly: %j', (raw) => {
    const bytes = bytesOf(raw);
    const split = splitMessage(bytes, 'response');
    const m = logged(split);
    expect(derivable(m, bytes)).toBe(true);
    expect(roundTrip(m, bytes)).toEqual(m);
    // Its 1xx messages, which stay whole in records, would come back too.
    for (const informational of split.informational) {
      const i = logged(informational);
      expect(derivable(i, bytes)).toBe(true);
      expect(roundTrip(i, bytes)).toEqual(i);
    }
  });

  it('keeps parse issues and trailers in the compact form', () => {
    const bytes = bytesOf('GET / HTTP/1.1\nHost: h\n\n'); // bare LF: lenient, with issues
    const m = logged(splitMessage(bytes, 'request'));
    expect(m.issues.length).toBeGreaterThan(0);
    if (derivable(m, bytes)) expect(roundTrip(m, bytes)).toEqual(m);
    const chunked = bytesOf(RESPONSES[2]);
    const r = logged(splitMessage(chunked, 'response'));
    expect(r.trailers).toEqual([['X-Trailer', 't']]);
    expect(roundTrip(r, chunked)).toEqual(r);
  });

  it('refuses a damaged compact record instead of cutting strings from missing bytes', () => {
    const bytes = bytesOf(REQUESTS[0]);
    const m = logged(splitMessage(bytes, 'request'));
    const good = JSON.parse(compactText(m)) as CompactMessage;
    expect(() => expandMessage(good, bytes)).not.toThrow();
    for (const spans of [
      [0, 5],
      [0, 36, 38, 9999, 9999, 9999],
      [-1, ...good.spans.slice(1)],
      [...good.spans, 3],
    ])
      expect(() => expandMessage({ ...good, spans }, bytes)).toThrow(/damaged/);
  });

  it('is not used when the strings do not match the bytes', () => {
    const bytes = bytesOf(REQUESTS[0]);
    const m = logged(splitMessage(bytes, 'request'));
    const edited = { ...m, headers: m.headers.map(([n, v]) => [n, v + ' '] as [string, string]) };
    expect(derivable(edited, bytes)).toBe(false);
    expect(derivable({ ...m, startLine: 'GET / HTTP/1.1' }, bytes)).toBe(false);
    expect(derivable({ ...m, headers: m.headers.slice(1) }, bytes)).toBe(false);
    expect(derivable(m, bytes.subarray(0, 20))).toBe(false); // head not all there
    expect(derivable({ ...m, layout: undefined }, bytes)).toBe(false);
    // A folded field (obs-fold, lenient) has a value the rule cannot cut: written whole.
    const folded = bytesOf('GET / HTTP/1.1\r\nX-Fold: a\r\n b\r\nHost: h\r\n\r\n');
    const f = logged(splitMessage(folded, 'request'));
    expect(f.headers[0]).toEqual(['X-Fold', 'a b']);
    expect(derivable(f, folded)).toBe(false);
    expect(JSON.parse(messageJson(f))).toEqual(f);
  });
});
