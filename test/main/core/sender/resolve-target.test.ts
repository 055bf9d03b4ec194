/** The default target of a request: absolute URL, else Host; no target is an error. */
import { describe, expect, it } from 'vitest';
import { prepareRequest } from '../../../../main/core/sender/prepare-request';
import { parseHostPort, targetFromRequest } from '../../../../main/core/sender/resolve-target';
import { sendRequest } from '../../../../main/core/sender/send-request';

const target = (text: string, hints = {}) =>
  targetFromRequest(prepareRequest(Buffer.from(text, 'latin1'), {}), hints);

describe('targetFromRequest', () => {
  const cases: Array<[string, string, object, object]> = [
    [
      'Host header, default port',
      'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n',
      {},
      { host: 'example.com', port: 80, tls: false },
    ],
    [
      'Host header with port',
      'GET / HTTP/1.1\r\nHost: example.com:8081\r\n\r\n',
      {},
      { host: 'example.com', port: 8081, tls: false },
    ],
    [
      'Host header, TLS asked: 443',
      'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n',
      { tls: true },
      { host: 'example.com', port: 443, tls: true },
    ],
    [
      'IPv6 Host',
      'GET / HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n',
      {},
      { host: '::1', port: 9000, tls: false },
    ],
    [
      'absolute http URL wins over Host',
      'GET http://a.test:81/x HTTP/1.1\r\nHost: b.test\r\n\r\n',
      {},
      { host: 'a.test', port: 81, tls: false },
    ],
    [
      'absolute https URL',
      'GET https://user:pw@a.test/x?q HTTP/1.1\r\n\r\n',
      {},
      { host: 'a.test', port: 443, tls: true },
    ],
    [
      'CONNECT authority',
      'CONNECT a.test:8443 HTTP/1.1\r\n\r\n',
      {},
      { host: 'a.test', port: 8443, tls: false },
    ],
    [
      'SNI and verification hints',
      'GET / HTTP/1.1\r\nHost: h\r\n\r\n',
      { servername: 'sni.test', verify: false },
      { host: 'h', port: 80, tls: false, servername: 'sni.test', verify: false },
    ],
  ];
  for (const [name, text, hints, expected] of cases) {
    it(name, () => expect(target(text, hints)).toEqual(expected));
  }

  it('no absolute URL and no Host: SEND_NO_TARGET', () => {
    expect(() => target('GET / HTTP/1.1\r\n\r\n')).toThrow(
      expect.objectContaining({ code: 'SEND_NO_TARGET' }),
    );
  });

  it('a bad port is INVALID_ARGUMENT', () => {
    expect(() => target('GET / HTTP/1.1\r\nHost: h:99999\r\n\r\n')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'bad port in "h:99999"' }),
    );
    expect(() => parseHostPort('h:8o', 80)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('sendRequest input checks', () => {
  it('an empty request is refused before connecting', async () => {
    await expect(
      sendRequest({ raw: new Uint8Array(0), target: { host: '127.0.0.1', port: 9, tls: false } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'the request is empty' });
  });
});
