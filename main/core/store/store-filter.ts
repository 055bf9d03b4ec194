/**
 * The store side of the filter language (shared/filter): compiles a filter once per query
 * and gives it each exchange's header text. Header text comes from the raw heads kept in
 * memory for small exchanges, else from the log on disk — only when a term needs headers.
 */
import {
  headerSearchText,
  parseFilter,
  type ParsedFilter,
} from '../../../shared/filter/parse-filter';
import type { ExchangeEntry } from './exchange-entry';
import { detailOf, type ReadContext } from './store-reads';
import { STORE_ERROR_CODES, StoreError } from './store-error';

let last: { text: string; parsed: ParsedFilter } | null = null;

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString(
    'latin1',
  );
}

export function headerTextOf(entry: ExchangeEntry, ctx: ReadContext): string {
  const raw = entry.raw;
  if (raw) {
    const resStart = entry.requestBytes + entry.responseHeadStart;
    return (
      latin1(raw, 0, Math.min(entry.requestHeadLength, entry.requestBytes)) +
      '\n' +
      latin1(raw, resStart, Math.min(resStart + entry.responseHeadLength, raw.length))
    );
  }
  const detail = detailOf(entry, ctx);
  return headerSearchText([
    ...(detail.request?.headers ?? []),
    ...(detail.response?.headers ?? []),
  ]);
}

/** A matcher for `filter`, or null when it matches everything. Bad terms: INVALID_ARGUMENT. */
export function compileFilter(
  filter: string | undefined,
  ctx: ReadContext,
): ((entry: ExchangeEntry) => boolean) | null {
  if (filter === undefined || filter.trim() === '') return null;
  if (typeof filter !== 'string') {
    throw new StoreError(STORE_ERROR_CODES.INVALID_ARGUMENT, 'filter must be a string');
  }
  const parsed = last && last.text === filter ? last.parsed : parseFilter(filter);
  last = { text: filter, parsed };
  if (parsed.errors.length > 0) {
    throw new StoreError(
      STORE_ERROR_CODES.INVALID_ARGUMENT,
      `Bad filter: ${parsed.errors.map((e) => e.message).join('; ')}`,
    );
  }
  if (parsed.empty) return null;
  return (entry) => parsed.predicate(entry, () => headerTextOf(entry, ctx));
}
