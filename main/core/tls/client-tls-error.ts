/**
 * Turns a failed client-side TLS handshake (the client talking to our leaf certificate)
 * into a recorded error. The usual cause is a client that does not trust the Wirelens CA:
 * it aborts with a certificate alert, or just hangs up mid-handshake.
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { WirelensError } from '../../../shared/model/exchange';

export const UNTRUSTED_CA_HINT = 'the client does not trust the Wirelens CA — see `wirelens ca`';

/** OpenSSL error codes for the alerts a client sends when it rejects our certificate. */
const CERTIFICATE_ALERTS =
  /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|ACCESS_DENIED|DECRYPT_ERROR)/;

/** `error` is undefined when the client closed the connection before the handshake ended. */
export function clientTlsError(host: string, error?: Error & { code?: string }): WirelensError {
  const code = error?.code ?? '';
  if (code === 'ETIMEDOUT') {
    return {
      code: ERROR_CODES.CLIENT_TIMEOUT,
      message: `the client did not finish the TLS handshake for ${host} in time`,
    };
  }
  if (!error || code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      code: ERROR_CODES.CLIENT_TLS_REJECTED,
      message: `the client closed the connection during the TLS handshake for ${host}; likely ${UNTRUSTED_CA_HINT}`,
    };
  }
  if (
    CERTIFICATE_ALERTS.test(code) ||
    /alert (bad certificate|unknown ca|certificate unknown)/i.test(error.message)
  ) {
    return {
      code: ERROR_CODES.CLIENT_TLS_REJECTED,
      message: `the client rejected the certificate for ${host} (${describe(error)}): ${UNTRUSTED_CA_HINT}`,
    };
  }
  return {
    code: ERROR_CODES.CLIENT_TLS_REJECTED,
    message: `TLS handshake with the client for ${host} failed: ${describe(error)}`,
  };
}

function describe(error: Error & { code?: string }): string {
  // OpenSSL messages are long "error:0A000416:SSL routines:..." strings; the code is the readable part.
  const reason = /:([^:]+):\.\.\//.exec(error.message)?.[1] ?? error.message;
  return error.code ? `${error.code}: ${reason}` : reason;
}
