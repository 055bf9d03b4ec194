/**
 * The error every InspectorClient call rejects with, whatever the transport.
 * An `Error` (so stack traces and `instanceof Error` work) that also carries the stable
 * `code` of a WirelensError, because the code is what the UI decides on.
 */
import type { WirelensError } from '../../../shared/model/exchange';

export class ApiError extends Error implements WirelensError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Codes the client itself produces (the server's codes are in ERROR_CODES). */
export const CLIENT_ERROR_CODES = {
  /** The connection to the Node side dropped while the call was in flight. */
  DISCONNECTED: 'DISCONNECTED',
  /** The page was opened without the access token printed by `wirelens web`. */
  UNAUTHORIZED: 'UNAUTHORIZED',
} as const;

/** Normalises whatever a transport rejected with into an ApiError ({ code, message }). */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (reason !== null && typeof reason === 'object') {
    const record = reason as Partial<WirelensError>;
    if (typeof record.code === 'string' && typeof record.message === 'string') {
      return new ApiError(record.code, record.message);
    }
    if (typeof record.message === 'string') return new ApiError('INTERNAL', record.message);
  }
  return new ApiError('INTERNAL', String(reason));
}
