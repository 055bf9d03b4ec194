/**
 * `readBody`: a slice of one message's body, raw (as on the wire: chunk lines included)
 * or decoded (de-chunked and decompressed by main/core/content's decodeBody). Decoding
 * needs the whole body, so the last few decoded bodies are cached for the slices that
 * follow the first.
 */
import type { BodySlice, BodySliceQuery } from '../../../shared/api/inspector-api';
import type { BodyFraming, RawHeaders } from '../../../shared/model/exchange';
import { decodeForView } from './body-decoder';
import type { ExchangeEntry } from './exchange-entry';
import { detailOf, readSide, type ReadContext } from './store-reads';
import { STORE_ERROR_CODES, StoreError } from './store-error';

const DEFAULT_SLICE = 1 << 20;
const CACHE_SIZE = 4;

interface Decoded {
  bytes: Uint8Array;
  decodedFrom: string[];
  error?: string;
}

/** Small LRU of decoded bodies, keyed by exchange and side (finished exchanges only). */
const decodedCache = new Map<string, { entry: ExchangeEntry; decoded: Decoded }>();

function cached(key: string, entry: ExchangeEntry, make: () => Decoded): Decoded {
  const hit = decodedCache.get(key);
  if (hit && hit.entry === entry) {
    decodedCache.delete(key);
    decodedCache.set(key, hit);
    return hit.decoded;
  }
  const decoded = make();
  if (!entry.live) {
    decodedCache.set(key, { entry, decoded });
    while (decodedCache.size > CACHE_SIZE) decodedCache.delete(decodedCache.keys().next().value!);
  }
  return decoded;
}

function checkQuery(query: BodySliceQuery): { offset: number; length: number } {
  if (query.side !== 'request' && query.side !== 'response') {
    throw new StoreError(
      STORE_ERROR_CODES.INVALID_ARGUMENT,
      `side must be "request" or "response"`,
    );
  }
  if (query.view !== 'raw' && query.view !== 'decoded') {
    throw new StoreError(STORE_ERROR_CODES.INVALID_ARGUMENT, `view must be "raw" or "decoded"`);
  }
  const offset = query.offset ?? 0;
  const length = query.length ?? DEFAULT_SLICE;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length < 0) {
    throw new StoreError(
      STORE_ERROR_CODES.INVALID_ARGUMENT,
      'offset and length must be integers ≥ 0',
    );
  }
  return { offset, length };
}

export async function readBodySlice(
  entry: ExchangeEntry,
  query: BodySliceQuery,
  ctx: ReadContext,
): Promise<BodySlice> {
  const { offset, length } = checkQuery(query);
  const side = query.side;
  const detail = detailOf(entry, ctx);
  const message = side === 'request' ? detail.request : detail.response;
  const sideLength = side === 'request' ? entry.requestBytes : entry.responseBytes;
  // No parsed head: everything recorded counts as "body" so no byte is hidden.
  const bodyStart = message?.layout ? Math.min(message.layout.body.start, sideLength) : 0;
  const total = sideLength - bodyStart;
  if (query.view === 'raw') {
    const from = bodyStart + Math.min(offset, total);
    const to = bodyStart + Math.min(offset + length, total);
    return { bytes: readSide(entry, side, from, to, ctx), offset, total };
  }
  const headers: RawHeaders = message?.headers ?? [];
  const framing: BodyFraming = message?.framing ?? 'none';
  const decoded = cached(`${entry.id}:${side}`, entry, () =>
    decodeForView(readSide(entry, side, bodyStart, sideLength, ctx), headers, framing),
  );
  const end = Math.min(offset + length, decoded.bytes.length);
  const slice: BodySlice = {
    bytes: decoded.bytes.slice(Math.min(offset, end), end),
    offset,
    total: decoded.bytes.length,
    decodedFrom: decoded.decodedFrom,
  };
  if (decoded.error) slice.decodeError = decoded.error;
  return slice;
}
