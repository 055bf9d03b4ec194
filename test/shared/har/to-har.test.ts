import { describe, expect, it } from 'vitest';
import { toHar, toHarEntry } from '../../../shared/har/to-har';
import { bytes, exchangeDetail } from './exchange-fixture';
import { harSchemaErrors } from './har-validator';

const REQ = bytes(
  'POST /api/items?x=1&y=a%20b&flag HTTP/1.1\r\nHost: example.test\r\nCookie: a=1; b=2\r\n' +
    'Content-Type: application/json\r\nX-Dup: one\r\nX-Dup: two\r\nContent-Length: 9\r\n\r\n{"k":"v"}',
);
const RES = bytes(
  'HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nSet-Cookie: s=9; Path=/; HttpOnly; Secure\r\n' +
    'Location: /api/items/3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
);

function source(extra: Partial<Parameters<typeof exchangeDetail>[0]> = {}) {
  const input = { request: REQ, response: RES, ...extra };
  return {
    detail: exchangeDetail(input),
    requestRaw: input.request,
    responseRaw: input.response ?? null,
  };
}

describe('toHar', () => {
  it('writes a HAR 1.2 document that validates against the schema', () => {
    const har = toHar([
      source(),
      source({ response: null, error: { code: 'UPSTREAM_RESET', message: 'reset' } }),
    ]);
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(2);
  });

  it('keeps headers in order with duplicates, query string, cookies and post data', () => {
    const e = toHarEntry(source());
    expect(e.request.headers.map((h) => h.name)).toEqual([
      'Host',
      'Cookie',
      'Content-Type',
      'X-Dup',
      'X-Dup',
      'Content-Length',
    ]);
    expect(e.request.queryString).toEqual([
      { name: 'x', value: '1' },
      { name: 'y', value: 'a b' },
      { name: 'flag', value: '' },
    ]);
    expect(e.request.cookies).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
    expect(e.request.postData).toEqual({ mimeType: 'application/json', text: '{"k":"v"}' });
    expect(e.request.headersSize).toBe(REQ.length - 9);
    expect(e.request.bodySize).toBe(9);
    expect(e.request.url).toBe('http://example.test/api/items?x=1&y=a%20b&flag');
  });

  it('response: de-chunked content, sizes, cookies, redirect, transfer size', () => {
    const e = toHarEntry(source());
    expect(e.response.status).toBe(201);
    expect(e.response.statusText).toBe('Created');
    expect(e.response.content).toMatchObject({ size: 5, text: 'hello', mimeType: 'text/plain' });
    expect(e.response.bodySize).toBe(15);
    expect(e.response._transferSize).toBe(RES.length);
    expect(e.response.redirectURL).toBe('/api/items/3');
    expect(e.response.cookies[0]).toMatchObject({
      name: 's',
      value: '9',
      path: '/',
      httpOnly: true,
      secure: true,
    });
  });

  it('uses the caller decoder for content (HAR holds decoded bodies)', () => {
    const e = toHarEntry(source(), () => ({ bytes: bytes('DECODED') }));
    expect(e.response.content.text).toBe('DECODED');
  });

  it('binary bodies are base64, never truncated', () => {
    const body = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) & 0xff;
    const head = bytes(
      `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const res = new Uint8Array(head.length + body.length);
    res.set(head);
    res.set(body, head.length);
    const e = toHarEntry(source({ response: res }));
    expect(e.response.content.encoding).toBe('base64');
    // Buffer.equals: a deep toEqual over 3 MiB is needlessly slow.
    expect(Buffer.from(e.response.content.text!, 'base64').equals(body)).toBe(true);
    expect(e.response.content.size).toBe(body.length);
  });

  it('maps timings to HAR phases; connect includes ssl', () => {
    const t0 = 1_700_000_000_000;
    const e = toHarEntry(
      source({
        timings: {
          start: t0,
          dnsStart: t0 + 1,
          dnsEnd: t0 + 3,
          connectStart: t0 + 3,
          connectEnd: t0 + 8,
          tlsStart: t0 + 8,
          tlsEnd: t0 + 20,
          requestEnd: t0 + 21,
          responseStart: t0 + 71,
          responseEnd: t0 + 75,
        },
      }),
    );
    expect(e.timings).toEqual({
      blocked: 1,
      dns: 2,
      connect: 17,
      ssl: 12,
      send: 1,
      wait: 50,
      receive: 4,
    });
    expect(e.time).toBe(75);
    expect(e.startedDateTime).toBe(new Date(t0).toISOString());
    expect(e.serverIPAddress).toBe('127.0.0.1');
    expect(e.connection).toBe('7');
  });

  it('failed exchanges are kept with _error and a status-0 response', () => {
    const e = toHarEntry(
      source({ response: null, error: { code: 'UPSTREAM_CONNECT_FAILED', message: 'refused' } }),
    );
    expect(e._error).toEqual({ code: 'UPSTREAM_CONNECT_FAILED', message: 'refused' });
    expect(e.response.status).toBe(0);
    expect(e.timings).toMatchObject({ send: 0, wait: 0, receive: 0 });
  });
});
