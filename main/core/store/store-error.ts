/** Errors the store throws: `{ code, message }` so the code crosses every transport. */
import type { WirelensError } from '../../../shared/model/exchange';

export const STORE_ERROR_CODES = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** Another running Wirelens holds this capture log. */
  STORE_LOCKED: 'STORE_LOCKED',
  STORE_CLOSED: 'STORE_CLOSED',
  /** Writing the capture log failed (disk full…); shown as a notice. */
  STORE_WRITE_FAILED: 'STORE_WRITE_FAILED',
  /** An exchange that was in flight when Wirelens stopped (crash, kill). */
  INTERRUPTED: 'INTERRUPTED',
} as const;

export class StoreError extends Error implements WirelensError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
