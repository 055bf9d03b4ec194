/**
 * How the inspector service fails: always a WirelensError ({ code, message }) so the code
 * survives every transport (Electron IPC keeps only `message` of a thrown Error).
 */
import { ERROR_CODES, type WirelensError } from '../../shared/api/inspector-api';

/** An Error that is also a WirelensError; transports send `{ code, message }` of it. */
export class ServiceError extends Error implements WirelensError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}

/** A part of the core that this build does not have (yet). */
export const NOT_AVAILABLE = 'NOT_AVAILABLE';

export function notAvailable(what: string): ServiceError {
  return new ServiceError(NOT_AVAILABLE, `${what} is not available in this build of Wirelens yet.`);
}

export function invalidArgument(message: string): ServiceError {
  return new ServiceError(ERROR_CODES.INVALID_ARGUMENT, message);
}

/** Turns anything thrown into the plain `{ code, message }` that crosses a transport. */
export function toWirelensError(error: unknown): WirelensError {
  if (error !== null && typeof error === 'object') {
    const record = error as { code?: unknown; message?: unknown };
    const message = typeof record.message === 'string' ? record.message : String(error);
    // Node's own errors carry codes like ENOENT; keep them, they are stable too.
    if (typeof record.code === 'string' && record.code) return { code: record.code, message };
    return { code: ERROR_CODES.INTERNAL, message };
  }
  return { code: ERROR_CODES.INTERNAL, message: String(error) };
}
