import { describe, expect, it } from 'vitest';
import { describeVerifyError } from '../../../../main/core/tls/describe-tls-error';

describe('describeVerifyError', () => {
  it('puts plain words before the code, and keeps unknown codes as they are', () => {
    expect(describeVerifyError('CERT_HAS_EXPIRED')).toBe(
      'the certificate has expired (CERT_HAS_EXPIRED)',
    );
    expect(describeVerifyError('DEPTH_ZERO_SELF_SIGNED_CERT')).toMatch(
      /^the certificate is self-signed/,
    );
    expect(describeVerifyError('ERR_TLS_CERT_ALTNAME_INVALID')).toMatch(/different host name/);
    expect(describeVerifyError('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
