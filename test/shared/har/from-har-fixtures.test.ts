/** Importing HAR files shaped like each tool's exports (test/fixtures/har/), quirks included. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHar, HarImportError } from '../../../shared/har/from-har';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const load = (name: string) => fromHar(readFileSync(join(FIXTURES, name), 'utf8'));
const text = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('latin1') : null);
const utf8 = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('utf8') : null);

describe('fromHar: Chrome / Edge DevTools', () => {
  const r = load('chrome.har');
  it('strips the BOM and imports all entries, including the failed one', () => {
    expect(r.skipped).toEqual([]);
    expect(r.entries).toHaveLength(3);
  });
  it('HTTP/2 pseudo-headers become an HTTP/1.1 request line and Host', () => {
    const e = r.entries[0];
    expect(text(e.requestRaw)).toBe(
      'GET /cart?id=42&lang=de HTTP/1.1\r\nHost: shop.example\r\naccept: text/html\r\ncookie: sid=abc\r\nuser-agent: Mozilla/5.0\r\n\r\n',
    );
    expect(e.warnings.join('\n')).toMatch(/pseudo-headers dropped: :authority/);
    expect(e.warnings.join('\n')).toMatch(/rebuilt as an HTTP\/1\.1/);
    expect([e.scheme, e.host, e.port, e.connection, e.serverIPAddress]).toEqual([
      'https',
      'shop.example',
      443,
      '4711',
      '2001:db8::1',
    ]);
  });
  it('decoded content: Content-Encoding removed, Content-Length set, UTF-8 kept', () => {
    const res = utf8(r.entries[0].responseRaw)!;
    expect(res).toMatch(/^HTTP\/1\.1 200\r\n/);
    expect(res).not.toMatch(/content-encoding/i);
    expect(res).toContain(`Content-Length: ${Buffer.byteLength('<h1>Warenkorb ✓</h1>')}\r\n`);
    expect(res.endsWith('\r\n\r\n<h1>Warenkorb ✓</h1>')).toBe(true);
  });
  it('base64 content is decoded to bytes', () => {
    const raw = r.entries[1].responseRaw!;
    expect(Buffer.from(raw.subarray(raw.length - 6)).toString('latin1')).toBe('GIF89a');
  });
  it('status 0 with _error is a failed exchange with that error', () => {
    const e = r.entries[2];
    expect(e.responseRaw).toBeNull();
    expect(e.error).toEqual({ code: 'IMPORTED_FAILURE', message: 'net::ERR_BLOCKED_BY_CLIENT' });
    expect(text(e.requestRaw)).toContain('Content-Length: 10\r\n\r\n{"ev":"x"}');
  });
  it('negative timings are treated as absent', () => {
    const t = r.entries[0].timings;
    expect(t.dnsStart).toBeUndefined();
    expect(t.connectStart).toBeUndefined();
    expect(t.responseEnd! - t.start).toBeCloseTo(2.1 + 0.2 + 70.4 + 7.5, 2);
  });
});

describe('fromHar: Firefox', () => {
  const r = load('firefox.har');
  it('uses postData.text over params, keeps the port, timezone offsets parse', () => {
    const e = r.entries[0];
    expect(text(e.requestRaw)).toBe(
      'POST /login HTTP/1.1\r\nHost: forms.example:8080\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 17\r\n\r\nuser=bob&pw=x+y&z',
    );
    expect(e.port).toBe(8080);
    expect(e.timings.start).toBe(Date.parse('2026-01-02T10:00:00.000Z'));
    expect(e.warnings).toEqual([]);
  });
  it('"HTTP/2" with gzip: decoded body, wrong Content-Length fixed and reported', () => {
    const e = r.entries[1];
    const res = text(e.responseRaw)!;
    expect(res).toContain('content-length: 18\r\n');
    expect(e.warnings.join('\n')).toMatch(/Content-Length set to 18 \(was 38\)/);
  });
});

describe('fromHar: Safari', () => {
  const r = load('safari.har');
  it('empty httpVersion, content {} and all -1 timings import', () => {
    expect(r.skipped).toEqual([]);
    const e = r.entries[0];
    expect(text(e.requestRaw)).toBe(
      'GET /style.css HTTP/1.1\r\nHost: site.example\r\nAccept: text/css\r\n\r\n',
    );
    expect(text(e.responseRaw)).toBe('HTTP/1.1 200\r\nContent-Type: text/css\r\n\r\n');
    expect(e.timings.responseEnd).toBe(e.timings.start);
  });
});

describe('fromHar: Charles', () => {
  const r = load('charles.har');
  it('chunked request with base64 body: de-chunked with Content-Length, said so', () => {
    const e = r.entries[0];
    const req = text(e.requestRaw)!;
    expect(req).not.toMatch(/Transfer-Encoding/);
    expect(req).toContain('Content-Length: 15\r\n\r\n%PDF-1.4\n%');
    expect(e.warnings.join('\n')).toMatch(/chunked removed/);
  });
  it('null redirectURL / statusText and status 0 FAILED entries', () => {
    expect(text(r.entries[0].responseRaw)).toBe('HTTP/1.1 201 Created\r\nServer: legacy\r\n\r\n');
    expect(r.entries[1].responseRaw).toBeNull();
    expect(r.entries[1].error?.code).toBe('IMPORTED_NO_RESPONSE');
  });
});

describe('fromHar: Insomnia', () => {
  it('missing optional fields, lowercase method, no Host header', () => {
    const r = load('insomnia.har');
    const e = r.entries[0];
    expect(text(e.requestRaw)).toBe(
      'PATCH /v1/users/7?expand=roles HTTP/1.1\r\nHost: api.example\r\ncontent-type: application/json\r\nauthorization: Bearer t0k3n\r\nContent-Length: 19\r\n\r\n{\n  "name": "Ada"\n}',
    );
    expect(text(e.responseRaw)).toContain('Content-Length: 15\r\n\r\n{"id":7,"ok":1}');
  });
});

describe('fromHar: mitmproxy', () => {
  it('IPv6 URL, binary base64 bodies both ways, ssl inside connect', () => {
    const r = load('mitmproxy.har');
    const e = r.entries[0];
    expect([e.host, e.port]).toEqual(['::1', 5000]);
    const req = e.requestRaw;
    expect([...req.subarray(req.length - 4)]).toEqual([0, 1, 0xff, 0x7f]);
    expect(text(e.responseRaw)).toContain(
      'Set-Cookie: m=1; Path=/\r\nContent-Type: image/png\r\nContent-Length: 8\r\n\r\n\x89PNG',
    );
    expect(e.timings.tlsEnd! - e.timings.tlsStart!).toBeCloseTo(2.5, 2);
    expect(e.timings.connectEnd! - e.timings.connectStart!).toBeCloseTo(1.5, 2);
  });
});

describe('fromHar: malformed input', () => {
  it('a partly valid file imports what it can and names entry and field for the rest', () => {
    const r = load('partly-broken.har');
    expect(r.entries.map((e) => e.index)).toEqual([0, 7]);
    expect(r.skipped).toEqual([
      { index: 1, reason: 'entry 1: request.url is missing' },
      { index: 2, reason: 'entry 2: request.url is not a URL: "not a url"' },
      { index: 3, reason: 'entry 3: is not an object' },
      { index: 4, reason: 'entry 4: request.url has unsupported scheme "ftp"' },
      { index: 5, reason: 'entry 5: request.headers[0].name is missing' },
      { index: 6, reason: 'entry 6: request.postData.text is not valid base64' },
    ]);
    expect(r.entries[1].warnings.join('\n')).toMatch(/startedDateTime/);
  });
  it('not JSON / not a HAR are clear errors with stable codes', () => {
    expect(() => fromHar('{"log": ')).toThrow(HarImportError);
    try {
      fromHar('{"log": ');
    } catch (e) {
      expect((e as HarImportError).code).toBe('HAR_INVALID_JSON');
    }
    expect(() => fromHar('{"log": {}}')).toThrow(/log\.entries is missing/);
  });
});
