import { describe, expect, it } from 'vitest';
import {
  displayUrl,
  splitAuthority,
  statusOf,
  viewRequest,
} from '../../../../main/core/store/summary-derive';
import type { RawHeaders } from '../../../../shared/model/exchange';

/** start line, headers → what the list row shows. */
const REQUESTS: Array<[string, RawHeaders, ReturnType<typeof viewRequest>]> = [
  [
    'GET /a?b=1 HTTP/1.1',
    [['Host', 'Example.COM:8080']],
    { method: 'GET', path: '/a?b=1', host: 'example.com', port: 8080 },
  ],
  [
    'GET / HTTP/1.1',
    [['Host', 'example.com']],
    { method: 'GET', path: '/', host: 'example.com', port: undefined },
  ],
  [
    'GET http://u:p@h.test:81/x HTTP/1.1',
    [['Host', 'other']],
    { method: 'GET', path: '/x', host: 'h.test', port: 81, scheme: 'http' },
  ],
  [
    'GET https://h.test HTTP/1.1',
    [],
    { method: 'GET', path: '/', host: 'h.test', port: 443, scheme: 'https' },
  ],
  [
    'GET http://[::1]:9000/v6 HTTP/1.1',
    [],
    { method: 'GET', path: '/v6', host: '::1', port: 9000, scheme: 'http' },
  ],
  [
    'CONNECT example.com:443 HTTP/1.1',
    [['Host', 'example.com:443']],
    { method: 'CONNECT', path: 'example.com:443', host: 'example.com', port: 443 },
  ],
  ['GET /nohost HTTP/1.0', [], { method: 'GET', path: '/nohost' }],
  [
    'GET /a HTTP/1.1',
    [['Host', 'h:99999']],
    { method: 'GET', path: '/a', host: 'h', port: undefined },
  ],
  ['', [], { method: '', path: '' }],
  // Lines the fast path leaves to the split: the same words either way.
  ['GET  /two-spaces HTTP/1.1', [], { method: 'GET', path: '/two-spaces' }],
  [' GET /leading HTTP/1.1', [], { method: 'GET', path: '/leading' }],
  ['GET\t/tab HTTP/1.1', [], { method: 'GET', path: '/tab' }],
  ['GET /no-version', [], { method: 'GET', path: '/no-version' }],
  ['GET /trailing \u00a0', [], { method: 'GET', path: '/trailing' }],
];

describe('list row derivation', () => {
  it.each(REQUESTS)('%s', (startLine, headers, expected) => {
    expect(viewRequest(startLine, headers)).toEqual(expected);
  });

  it('splits authorities, IPv6 included', () => {
    expect(splitAuthority('[::1]')).toEqual({ host: '::1', port: undefined });
    expect(splitAuthority('::1')).toEqual({ host: '::1', port: undefined });
    expect(splitAuthority('a.b:0')).toEqual({ host: 'a.b', port: 0 });
  });

  it('reads the status from a status line', () => {
    expect(statusOf('HTTP/1.1 404 Not Found')).toBe(404);
    expect(statusOf('HTTP/1.1 200')).toBe(200);
    expect(statusOf('HTTP/1.1 20')).toBeNull();
    expect(statusOf('garbage')).toBeNull();
    // Past the fast path: the regular expression decides.
    expect(statusOf('HTTP/1.1 2000 x')).toBeNull();
    expect(statusOf('HTTP/1.1\t302 Found')).toBe(302);
    expect(statusOf('HTTP/1.\u00a0200 x')).toBeNull();
    expect(statusOf('HTTP/2 204')).toBe(204);
    expect(statusOf('HTTP/1.1 301\tMoved')).toBe(301);
  });

  it('builds display URLs', () => {
    expect(displayUrl('http', 'h', 80, '/a')).toBe('http://h/a');
    expect(displayUrl('https', 'h', 8443, '/a')).toBe('https://h:8443/a');
    expect(displayUrl('http', '::1', 9000, '/')).toBe('http://[::1]:9000/');
    expect(displayUrl('http', 'h', 80, '*')).toBe('http://h');
    expect(displayUrl('tunnel', 'h', 443, 'h:443')).toBe('h:443');
  });
});
