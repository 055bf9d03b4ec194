/** Errors of export / import / capture files: a stable code and plain words. */

export const EXPORT_ERROR_CODES = {
  CANCELLED: 'CANCELLED',
  HAR_INVALID_JSON: 'HAR_INVALID_JSON',
  HAR_NOT_A_HAR: 'HAR_NOT_A_HAR',
  CAPTURE_INVALID: 'CAPTURE_INVALID',
  CAPTURE_EXISTS: 'CAPTURE_EXISTS',
} as const;

export class ExportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new ExportError(EXPORT_ERROR_CODES.CANCELLED, `${what} cancelled`);
}

/** Progress of a long job: `done` of `total` units (exchanges, or bytes for capture files). */
export type ProgressListener = (progress: { done: number; total: number }) => void;

/** Lets timers, I/O and a cancel request in between steps of a long loop. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
