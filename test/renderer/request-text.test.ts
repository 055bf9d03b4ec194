import { describe, expect, it } from 'vitest';
import {
  decodeForEditing,
  encodedLength,
  encodeText,
  originForm,
  withoutProxyHeaders,
} from '../../renderer/src/lib/request-text';

describe('request text helpers', () => {
  it('turns a proxy-style absolute-form request line into what the origin received', () => {
    expect(originForm('GET http://a.test:8080/p?q=1 HTTP/1.1')).toBe('GET /p?q=1 HTTP/1.1');
    expect(originForm('POST https://a.test HTTP/1.1')).toBe('POST / HTTP/1.1');
    expect(originForm('GET /already HTTP/1.1')).toBe('GET /already HTTP/1.1');
    expect(originForm('CONNECT a.test:443 HTTP/1.1')).toBe('CONNECT a.test:443 HTTP/1.1');
  });

  it('drops only the headers meant for the proxy (a credential for it among them)', () => {
    expect(
      withoutProxyHeaders([
        ['Host', 'a.test'],
        ['Proxy-Connection', 'Keep-Alive'],
        ['proxy-authorization', 'Basic dTpw'],
        ['Connection', 'keep-alive'],
        ['Proxy-Foo', 'kept'],
      ]),
    ).toEqual([
      ['Host', 'a.test'],
      ['Connection', 'keep-alive'],
      ['Proxy-Foo', 'kept'],
    ]);
  });

  it('keeps every byte of a binary body through editing (latin1 round trip)', () => {
    const bytes = Uint8Array.from([0, 0xff, 0x80, 0x41, 0xc3]);
    const { text, encoding } = decodeForEditing(bytes);
    expect(encoding).toBe('latin1');
    expect([...encodeText(text, encoding)]).toEqual([...bytes]);
    expect(decodeForEditing(new TextEncoder().encode('é')).encoding).toBe('utf-8');
  });

  it('counts the bytes a body will have without encoding it', () => {
    for (const text of ['', 'abc', 'é€', '😀x', 'lone \ud800 surrogate', 'end \udc00']) {
      expect(encodedLength(text, 'utf-8')).toBe(encodeText(text, 'utf-8').length);
      expect(encodedLength(text, 'latin1')).toBe(encodeText(text, 'latin1').length);
    }
  });
});
