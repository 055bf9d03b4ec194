/**
 * How each log record changes an exchange in memory (./exchange-entry.ts). The same
 * `applyRecord` runs when a writer records something (live) and when the log is replayed on
 * open, so a reopened store is exactly what the running one was. Also: entries rebuilt from
 * their `start` or `x` record on replay, and the `end` record built from the live state.
 */
import type { ExchangeState, Timings } from '../../../shared/model/exchange';
import { ExchangeEntry, LiveExchange, LiveLog } from './exchange-entry';
import { rowOf } from './exchange-line';
import { detach, intern } from './interned-strings';
import type { ByteRanges, ExchangeRecord, LoggedMessage, LogRecord, SideCode } from './log-format';
import { allocRaw } from './raw-slab';
import { defaultPort, headerValue, statusOf, viewRequest } from './summary-derive';

/** An exchange from its `start` record (replay): in flight until its `end`. */
export function entryFromStart(record: Extract<LogRecord, { t: 'start' }>): ExchangeEntry {
  const live = new LiveExchange(record.timings);
  live.log = new LiveLog();
  return new ExchangeEntry(
    record.id,
    record.connectionId,
    record.indexOnConnection,
    record.source,
    record.scheme,
    record.host,
    record.port,
    record.timings.start,
    live,
  );
}

/** A finished exchange from the summary part of its `x` record (replay). */
export function entryFromExchangeRecord(record: ExchangeHead): ExchangeEntry {
  const row = record.row;
  const entry = new ExchangeEntry(
    record.id,
    record.connectionId,
    record.indexOnConnection,
    record.source,
    row.scheme,
    row.host,
    row.port,
    record.timings.start,
    null,
  );
  applyFinal(entry, record);
  return entry;
}

const TERMINAL: ReadonlySet<ExchangeState> = new Set(['complete', 'failed']);

/**
 * Applies one record to an exchange still in flight. Returns false when the record does
 * not apply (exchange already ended): callers then skip it.
 */
export function applyRecord(
  entry: ExchangeEntry,
  record: LogRecord,
  bytes: Uint8Array | null,
  memoryLimit: number,
): boolean {
  const live = entry.live;
  if (!live) return false;
  switch (record.t) {
    case 'target':
      if (record.scheme) entry.scheme = intern(record.scheme);
      if (!live.hostFromRequest) {
        entry.host = intern(record.host);
        entry.port = record.port;
      }
      return true;
    case 'chunk': {
      addRange(live.ranges[record.s], record.o, record.n);
      if (record.s === 'q') entry.requestBytes += record.n;
      else entry.responseBytes += record.n;
      if (live.memory) {
        if (bytes && entry.requestBytes + entry.responseBytes <= memoryLimit) {
          live.memory[record.s].push(bytes);
        } else {
          live.memory = null;
        }
      }
      return true;
    }
    case 'msg':
      applyMessage(entry, live, record.s, record.m);
      return true;
    case 'mark':
      live.timings[record.k] = record.at;
      // The request's end is the request-complete moment (producers need not also say so
      // with setState; an exchange already past it, or a tunnel, keeps its state).
      if (record.k === 'requestEnd' && entry.state === 'pending') entry.state = 'request-complete';
      return true;
    case 'state':
      if (!TERMINAL.has(entry.state) || record.state === 'failed') entry.state = record.state;
      return true;
    case 'warn':
      live.warnings.push(record.text);
      return true;
    case 'tunnel':
      live.tunnel = { bytesUp: record.up, bytesDown: record.down };
      return true;
    case 'fail':
      entry.state = 'failed';
      entry.error = record.error;
      return true;
    default:
      return false;
  }
}

function applyMessage(
  entry: ExchangeEntry,
  live: LiveExchange,
  side: SideCode | 'i',
  m: LoggedMessage,
): void {
  if (m.issues.length > 0) entry.malformed = true;
  if (side === 'i') {
    live.informational.push(m);
    return;
  }
  if (side === 'q') {
    live.request = m;
    const view = viewRequest(m.startLine, m.headers);
    entry.method = intern(view.method);
    entry.path = detach(view.path);
    // (Already equal, as usual for the proxy: no lookup in the intern table.)
    if (view.scheme && entry.scheme !== 'tunnel' && entry.scheme !== view.scheme)
      entry.scheme = intern(view.scheme);
    if (view.host) {
      if (entry.host !== view.host) entry.host = intern(view.host);
      entry.port = view.port ?? defaultPort(entry.scheme);
      live.hostFromRequest = true;
    }
    entry.requestHeadLength = m.layout?.headerBlock.end ?? 0;
  } else {
    live.response = m;
    entry.status = statusOf(m.startLine);
    const contentType = headerValue(m.headers, 'content-type')?.trim();
    entry.contentType = contentType === undefined ? null : intern(contentType);
    entry.responseHeadStart = m.layout?.startLine.start ?? 0;
    entry.responseHeadLength = m.layout ? m.layout.headerBlock.end - m.layout.startLine.start : 0;
  }
}

function sumRanges(ranges: ByteRanges): number {
  let total = 0;
  for (const [, length] of ranges) total += length;
  return total;
}

function addRange(ranges: ByteRanges, offset: number, length: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last[0] + last[1] === offset) last[1] += length;
  else ranges.push([offset, length]);
}

/** The state an exchange ends in when it finishes. */
export function finalState(entry: ExchangeEntry): ExchangeState {
  return entry.state === 'failed' || entry.state === 'tunnel' ? entry.state : 'complete';
}

/**
 * A finished exchange written as one `x` record becomes final: the same fields a replay
 * of that record sets (the row fields are already there from the live state).
 */
export function settleWhole(entry: ExchangeEntry, state: ExchangeState, at: number): void {
  entry.state = state;
  entry.durationMs = durationOf(entry.live!.timings, at);
}

function durationOf(timings: Timings, at: number): number {
  const end = timings.responseEnd ?? at;
  return Math.max(0, Math.round((end - timings.start) * 1000) / 1000);
}

/** Builds the `end` record from the live state (an exchange logged while in flight). */
export function endRecordOf(entry: ExchangeEntry, at: number): Extract<LogRecord, { t: 'end' }> {
  const live = entry.live!;
  const state = finalState(entry);
  return {
    t: 'end',
    id: entry.id,
    state,
    at,
    timings: live.timings,
    warnings: live.warnings,
    tunnel: live.tunnel,
    error: entry.error,
    ranges: live.ranges,
    refs: live.log?.refs ?? { q: null, r: null, i: [] },
    row: rowOf(entry),
  };
}

/** The parts of an `end` or `x` record that make the list row. */
export type ExchangeHead = Omit<ExchangeRecord, 'm'>;

/** Applies an `end` or `x` record: the exchange is final; its detail now lives in the log. */
export function applyFinal(
  entry: ExchangeEntry,
  record: Extract<LogRecord, { t: 'end' }> | ExchangeHead,
): void {
  entry.state = record.state;
  entry.error = record.error;
  const row = record.row;
  if (row) {
    entry.method = intern(row.method);
    entry.path = row.path;
    entry.scheme = intern(row.scheme);
    entry.host = intern(row.host);
    entry.port = row.port;
    entry.status = row.status;
    entry.contentType = row.contentType === null ? null : intern(row.contentType);
    entry.malformed = row.malformed;
    entry.requestHeadLength = row.qh;
    entry.responseHeadStart = row.rs;
    entry.responseHeadLength = row.rh;
    entry.requestBytes = sumRanges(record.ranges.q);
    entry.responseBytes = sumRanges(record.ranges.r);
  }
  entry.durationMs = durationOf(record.timings, record.at);
}

/** Joins the in-memory chunks of a finished small exchange into one buffer. */
export function joinMemory(entry: ExchangeEntry): void {
  const memory = entry.live?.memory;
  if (!memory) return;
  const total = entry.requestBytes + entry.responseBytes;
  if (total === 0) return;
  const raw = allocRaw(total);
  let at = 0;
  for (const part of memory.q) {
    raw.set(part, at);
    at += part.length;
  }
  for (const part of memory.r) {
    raw.set(part, at);
    at += part.length;
  }
  entry.raw = raw;
}
