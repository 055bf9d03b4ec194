/**
 * Errors of the sender, as stable codes (ERROR_CODES) with one-line plain-words messages.
 * Network failures do not throw: they travel inside the SendResult, next to whatever bytes
 * arrived. Only bad input (no target, bad port) throws a SenderError.
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { WirelensError } from '../../../shared/model/exchange';
import { describeSocketError } from '../socket-errors';

export class SenderError extends Error implements WirelensError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SenderError';
  }

  toJSON(): WirelensError {
    return { code: this.code, message: this.message };
  }
}

/** Where in a send a socket error happened; decides the code when errno alone is ambiguous. */
export type SendPhase = 'dns' | 'connect' | 'tls' | 'exchange';

/** Turns a Node socket/DNS/TLS error into a WirelensError with a stable code. */
export function describeNetworkError(
  error: unknown,
  phase: SendPhase,
  where: string,
): WirelensError {
  if (error instanceof SenderError) return error.toJSON();
  const err = error as NodeJS.ErrnoException;
  const errno = err?.code ?? '';
  const detail = err?.message ?? String(error);
  if (phase === 'dns') {
    return {
      code: ERROR_CODES.UPSTREAM_DNS_FAILED,
      message: `could not resolve ${where}: ${errno ? describeSocketError(errno) : detail}`,
    };
  }
  if (phase === 'tls' || /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(errno)) {
    return {
      code: ERROR_CODES.UPSTREAM_TLS_FAILED,
      message: `TLS handshake with ${where} failed: ${detail}`,
    };
  }
  if (phase === 'connect') {
    return {
      code: ERROR_CODES.UPSTREAM_CONNECT_FAILED,
      message: `could not connect to ${where}: ${errno ? describeSocketError(errno) : detail}`,
    };
  }
  if (errno === 'ECONNRESET' || errno === 'EPIPE') {
    return {
      code: ERROR_CODES.UPSTREAM_RESET,
      message: `${where} reset the connection (${errno})`,
    };
  }
  return { code: ERROR_CODES.UPSTREAM_RESET, message: `connection to ${where} failed: ${detail}` };
}

export function timeoutError(which: string, ms: number, where: string): WirelensError {
  return {
    code: ERROR_CODES.UPSTREAM_TIMEOUT,
    message: `${which} timeout: nothing from ${where} within ${formatMs(ms)}`,
  };
}

export function cancelledError(): WirelensError {
  return { code: ERROR_CODES.SEND_CANCELLED, message: 'the send was cancelled' };
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
