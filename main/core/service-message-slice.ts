/**
 * `readBody({ part: 'message' })`: a slice of one side's whole raw message (start line,
 * header block and body exactly as recorded), so the UI can show the head byte for byte
 * instead of rebuilding it from parsed headers.
 *
 * The store's `readRaw` returns the whole message; we slice it here. That is cheap for
 * heads (the UI asks for `layout.body.start` bytes) but reads the whole body for a large
 * message: an offset/length read in the store would avoid that if it ever matters.
 */
import type { BodySlice, BodySliceQuery } from '../../shared/api/inspector-api';
import { ERROR_CODES } from '../../shared/api/inspector-api';
import { ServiceError, notAvailable } from './service-errors';
import type { StorePart } from './service-parts';

const DEFAULT_SLICE = 1 << 20;

export async function readMessageSlice(
  store: StorePart,
  query: BodySliceQuery,
): Promise<BodySlice> {
  if (!store.readRaw) throw notAvailable('Reading raw messages');
  const raw = await store.readRaw(query.id, query.side);
  if (raw === null) {
    throw new ServiceError(ERROR_CODES.NOT_FOUND, `Exchange #${query.id} has no ${query.side}.`);
  }
  const offset = Math.min(query.offset ?? 0, raw.length);
  const length = query.length ?? DEFAULT_SLICE;
  return { bytes: raw.slice(offset, offset + length), offset, total: raw.length };
}
