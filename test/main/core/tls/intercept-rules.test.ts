import { describe, expect, it } from 'vitest';
import { clientTlsError, UNTRUSTED_CA_HINT } from '../../../../main/core/tls/client-tls-error';
import { hostMatcher } from '../../../../main/core/tls/intercept';

describe('hostMatcher (no-intercept list)', () => {
  it('matches exact names, and subdomains for *.name and .name, case-insensitively', () => {
    const match = hostMatcher(['Pinned.example', '*.bank.test', '.corp', '  ']);
    expect(match('pinned.example')).toBe(true);
    expect(match('PINNED.EXAMPLE.')).toBe(true);
    expect(match('www.pinned.example')).toBe(false);
    expect(match('www.bank.test')).toBe(true);
    expect(match('bank.test')).toBe(false);
    expect(match('intranet.corp')).toBe(true);
    expect(match('elsewhere.test')).toBe(false);
    expect(hostMatcher([])('anything')).toBe(false);
    expect(hostMatcher(['*'])('anything.at.all')).toBe(true);
  });
});

describe('clientTlsError', () => {
  it('turns certificate alerts and hang-ups into CLIENT_TLS_REJECTED with the hint', () => {
    const alert = Object.assign(new Error('sslv3 alert bad certificate'), {
      code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
    });
    expect(clientTlsError('a.test', alert)).toEqual({
      code: 'CLIENT_TLS_REJECTED',
      message: expect.stringContaining(UNTRUSTED_CA_HINT),
    });
    expect(clientTlsError('a.test').message).toMatch(
      /closed the connection during the TLS handshake/,
    );
    const other = Object.assign(new Error('no shared cipher'), {
      code: 'ERR_SSL_NO_SHARED_CIPHER',
    });
    expect(clientTlsError('a.test', other)).toEqual({
      code: 'CLIENT_TLS_REJECTED',
      message:
        'TLS handshake with the client for a.test failed: ERR_SSL_NO_SHARED_CIPHER: no shared cipher',
    });
    const slow = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
    expect(clientTlsError('a.test', slow).code).toBe('CLIENT_TIMEOUT');
  });
});
