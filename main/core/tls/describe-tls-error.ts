/**
 * Plain words for the certificate verification codes OpenSSL and Node report
 * (`TLSSocket.authorizationError`), for the upstream `502` page: "self-signed" tells a
 * user more than DEPTH_ZERO_SELF_SIGNED_CERT. The code is kept next to the words so it
 * can still be searched for.
 */
import { inPlainWords } from '../plain-words';

const REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of the certificate is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the certificate is not trusted here',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the certificate chain could not be verified (missing intermediate?)',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the clock)',
  CERT_REVOKED: 'the certificate was revoked',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  INVALID_CA: 'an intermediate certificate is not a valid CA',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for a different host name',
  HOSTNAME_MISMATCH: 'the certificate is for a different host name',
};

/** e.g. `the certificate has expired (CERT_HAS_EXPIRED)`; unknown codes are returned as they are. */
export function describeVerifyError(code: string): string {
  return inPlainWords(REASONS, code);
}

/** What a user can do about an upstream certificate the proxy rejected. */
export const UNVERIFIED_UPSTREAM_HINT =
  'To accept it anyway (a local server with its own certificate, say): in the app, untick ' +
  'Settings → Upstream certificates → verified; on the command line, add --insecure-upstream ' +
  '(`wirelens capture`, `wirelens web` or `wirelens browser`).';
