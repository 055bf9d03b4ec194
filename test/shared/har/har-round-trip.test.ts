/**
 * Export → HAR text → import gives back the identical request bytes, over requests with
 * binary bodies, awkward characters, duplicate headers, empty bodies and odd targets.
 */
import { describe, expect, it } from 'vitest';
import { fromHar } from '../../../shared/har/from-har';
import { toHar } from '../../../shared/har/to-har';
import { bytes, exchangeDetail } from './exchange-fixture';
import { harSchemaErrors } from './har-validator';

function withBody(head: string, body: Uint8Array): Uint8Array {
  const h = bytes(head.replace('{N}', String(body.length)));
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

const allBytes = new Uint8Array(256).map((_, i) => i);
const utf8 = new Uint8Array(Buffer.from('Grüße 🌍 — "quotes" \'single\' \\ back\r\n\ttab', 'utf8'));

const REQUESTS: Array<[string, Uint8Array]> = [
  ['simple GET', bytes('GET / HTTP/1.1\r\nHost: example.test\r\n\r\n')],
  [
    'empty body with Content-Length: 0',
    bytes('POST /e HTTP/1.1\r\nHost: example.test\r\nContent-Length: 0\r\n\r\n'),
  ],
  [
    'duplicate headers, odd case',
    bytes(
      'GET /d HTTP/1.1\r\nhost: example.test\r\nX-A: 1\r\nx-a: 2\r\nX-A: 3\r\nACCEPT: */*\r\n\r\n',
    ),
  ],
  [
    'all 256 byte values as body',
    withBody(
      'PUT /bin HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/octet-stream\r\nContent-Length: {N}\r\n\r\n',
      allBytes,
    ),
  ],
  [
    'UTF-8 text body with quotes and control chars',
    withBody(
      'POST /t HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {N}\r\n\r\n',
      utf8,
    ),
  ],
  [
    'NUL in an otherwise text body',
    withBody(
      'POST /n HTTP/1.1\r\nHost: example.test\r\nContent-Length: {N}\r\n\r\n',
      bytes('a\u0000b'),
    ),
  ],
  [
    'latin1 header value bytes',
    bytes('GET /l HTTP/1.1\r\nHost: example.test\r\nX-Name: Jos\xe9 \xff\r\n\r\n'),
  ],
  [
    'awkward query and path',
    bytes("GET /p%20q/%E2%9C%93?a=1&a=2&b=%26%3D&c=it's&=x HTTP/1.1\r\nHost: example.test\r\n\r\n"),
  ],
  [
    'absolute-form through a proxy',
    bytes(
      'GET http://example.test/abs?q=1 HTTP/1.1\r\nHost: example.test\r\nProxy-Connection: keep-alive\r\n\r\n',
    ),
  ],
  [
    'HTTP/1.0 with form body',
    withBody(
      'POST /form HTTP/1.0\r\nHost: example.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {N}\r\n\r\n',
      bytes('a=1&b=%20&c'),
    ),
  ],
  [
    'empty header value',
    bytes('GET /v HTTP/1.1\r\nHost: example.test\r\nX-Empty: \r\nX-After: y\r\n\r\n'),
  ],
  ['malformed request kept whole (_raw)', bytes('\u0000\u0001NOT HTTP AT ALL\nx\r\n\r\nbody')],
  ['unparseable request kept whole (_raw)', bytes('\r\n\r\n')],
  [
    'DELETE with JSON body',
    withBody(
      'DELETE /items/1 HTTP/1.1\r\nHost: example.test:8080\r\nContent-Type: application/json\r\nContent-Length: {N}\r\n\r\n',
      bytes('{"why":"\\u00e9"}'),
    ),
  ],
];

const RESPONSE = bytes('HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n');

describe('HAR round trip: export → import → identical request', () => {
  const sources = REQUESTS.map(([, raw], i) => {
    const port =
      raw.includes(0x38) && /:8080/.test(Buffer.from(raw).toString('latin1')) ? 8080 : 80;
    return {
      detail: exchangeDetail({ id: i + 1, request: raw, response: RESPONSE, port }),
      requestRaw: raw,
      responseRaw: RESPONSE,
    };
  });
  const har = toHar(sources);
  const text = JSON.stringify(har);
  const imported = fromHar(text);

  it('exports a schema-valid HAR and imports every entry', () => {
    expect(harSchemaErrors(har)).toEqual([]);
    expect(imported.skipped).toEqual([]);
    expect(imported.entries).toHaveLength(REQUESTS.length);
  });

  REQUESTS.forEach(([name, raw], i) => {
    it(name, () => {
      const entry = imported.entries[i];
      expect(Buffer.from(entry.requestRaw).toString('latin1')).toBe(
        Buffer.from(raw).toString('latin1'),
      );
      expect(entry.warnings).toEqual([]);
      expect(Buffer.from(entry.responseRaw!).toString('latin1')).toBe(
        Buffer.from(RESPONSE).toString('latin1'),
      );
    });
  });

  it('restores the target recorded by Wirelens even when the URL names another host', () => {
    const raw = bytes('GET /v HTTP/1.1\r\nHost: virtual.example\r\n\r\n');
    const detail = exchangeDetail({
      request: raw,
      response: RESPONSE,
      host: '10.0.0.5',
      port: 8443,
      scheme: 'https',
    });
    detail.summary.url = 'https://virtual.example/v';
    const [e] = fromHar(
      JSON.stringify(toHar([{ detail, requestRaw: raw, responseRaw: RESPONSE }])),
    ).entries;
    expect([e.scheme, e.host, e.port]).toEqual(['https', '10.0.0.5', 8443]);
  });

  it('keeps the target: scheme, host, port and the timings start', () => {
    const e = imported.entries[REQUESTS.length - 1];
    expect([e.scheme, e.host, e.port]).toEqual(['http', 'example.test', 8080]);
    expect(e.timings.start).toBe(sources[0].detail.timings.start);
  });
});
