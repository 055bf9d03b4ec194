/**
 * One stored exchange in memory, and how each log record changes it. The same `applyRecord`
 * runs when a writer records something (live) and when the log is replayed on open, so a
 * reopened store is exactly what the running one was.
 *
 * Memory: a finished exchange keeps only its list-row fields, the raw bytes when small, and
 * where its `end` record is on disk; everything else (headers, spans, timings) is read back
 * from the log by `get()`. `live` holds the full state while the exchange is in flight.
 */
import type {
  ExchangeSource,
  ExchangeState,
  ExchangeSummary,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';
import { rowOf } from './exchange-line';
import type {
  ByteRanges,
  ExchangeRecord,
  LoggedMessage,
  LogRecord,
  RecordRef,
  SideCode,
} from './log-format';
import { allocRaw } from './raw-slab';
import { defaultPort, displayUrl, headerValue, statusOf, viewRequest } from './summary-derive';

/**
 * The incremental records of an exchange that is written to the log while in flight (one
 * that runs long or carries a big body): where its message records landed, and the pending
 * records a later call of the same flush may still merge into (./record-coalescing.ts).
 */
export class LiveLog {
  refs: { q: RecordRef | null; r: RecordRef | null; i: RecordRef[] } = { q: null, r: null, i: [] };
  openMessage: {
    q: { record: { m: LoggedMessage }; flush: number } | null;
    r: { record: { m: LoggedMessage }; flush: number } | null;
  } = { q: null, r: null };
  openTunnel: { record: { up: number; down: number }; flush: number } | null = null;
  openChunk: {
    q: { record: { n: number; o: number }; flush: number } | null;
    r: { record: { n: number; o: number }; flush: number } | null;
  } = { q: null, r: null };
}

export class LiveExchange {
  warnings: string[] = [];
  tunnel: { bytesUp: number; bytesDown: number } | undefined = undefined;
  request: LoggedMessage | null = null;
  response: LoggedMessage | null = null;
  informational: LoggedMessage[] = [];
  ranges: { q: ByteRanges; r: ByteRanges } = { q: [], r: [] };
  /** Raw bytes kept while the exchange stays under the in-memory limit (null once over). */
  memory: { q: Uint8Array[]; r: Uint8Array[] } | null = { q: [], r: [] };
  /** The request said where it goes (absolute-form/Host): `setTarget` does not change the row. */
  hostFromRequest = false;
  /** `finish()` was called: the end record is queued; later writer calls are ignored. */
  ending = false;
  /**
   * Set once the exchange is written to the log while in flight (`start` and incremental
   * records, then `end`). Null for one that is written whole, as one `x` record, when it
   * finishes: the usual case.
   */
  log: LiveLog | null = null;
  /** `performance.now()` when recording started (how long it has been in flight). */
  readonly bornAt = performance.now();
  /** Every Timings key present from the start (undefined until marked): one object shape. */
  timings: Timings;
  constructor(timings: Timings) {
    this.timings = timingSlots(timings);
  }
}

/**
 * A timings object with every key of `Timings` already there: marks then overwrite a
 * property instead of adding one (adding keys one by one, in varying orders, made each
 * `mark` a slow shape change). Undefined keys are left out of every JSON written.
 */
function timingSlots(from: Timings): Timings {
  const t: Timings = {
    start: from.start,
    dnsStart: undefined,
    dnsEnd: undefined,
    connectStart: undefined,
    connectEnd: undefined,
    tlsStart: undefined,
    tlsEnd: undefined,
    requestEnd: undefined,
    responseStart: undefined,
    responseEnd: undefined,
  };
  for (const key in from) {
    const value = from[key as keyof Timings];
    if (value !== undefined) t[key as keyof Timings] = value;
  }
  return t;
}

/** A copy of `timings` without its undefined keys. */
export function definedTimings(timings: Timings): Timings {
  const out: Timings = { start: timings.start };
  for (const key in timings) {
    const value = timings[key as keyof Timings];
    if (value !== undefined) out[key as keyof Timings] = value;
  }
  return out;
}

export class ExchangeEntry {
  state: ExchangeState = 'pending';
  method = '';
  path = '';
  status: number | null = null;
  contentType: string | null = null;
  requestBytes = 0;
  responseBytes = 0;
  durationMs: number | null = null;
  error: WirelensError | null = null;
  malformed = false;
  /** Raw request bytes followed by raw response bytes, when small enough to keep. */
  raw: Uint8Array | null = null;
  /** Head lengths (for header search without touching the disk). */
  requestHeadLength = 0;
  responseHeadStart = 0;
  responseHeadLength = 0;
  /** Where the `end` record is in records.ndjson (-1 while in flight). */
  endOffset = -1;
  endLength = 0;

  constructor(
    readonly id: number,
    readonly connectionId: number,
    readonly indexOnConnection: number,
    readonly source: ExchangeSource,
    public scheme: string,
    public host: string,
    public port: number,
    readonly startedAt: number,
    /** The full state while in flight; null once final (detail read back from the log). */
    public live: LiveExchange | null,
  ) {
    this.scheme = intern(scheme);
    this.host = intern(host);
  }

  get url(): string {
    return displayUrl(this.scheme, this.host, this.port, this.path);
  }

  toSummary(): ExchangeSummary {
    return {
      id: this.id,
      connectionId: this.connectionId,
      indexOnConnection: this.indexOnConnection,
      source: this.source,
      state: this.state,
      scheme: this.scheme,
      method: this.method,
      host: this.host,
      port: this.port,
      path: this.path,
      url: this.url,
      status: this.status,
      contentType: this.contentType,
      requestBytes: this.requestBytes,
      responseBytes: this.responseBytes,
      startedAt: this.startedAt,
      durationMs: this.durationMs,
      error: this.error,
      malformed: this.malformed,
    };
  }
}

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

/**
 * Strings kept per exchange must not be slices of the whole head text they were cut from
 * (V8 keeps the parent alive): copy them. Values that repeat across exchanges (methods,
 * hosts, content types) are shared through a bounded table instead.
 */
function detach(s: string): string {
  return (' ' + s).slice(1);
}

const interned = new Map<string, string>();
function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  const copy = detach(s);
  if (interned.size < 10_000) interned.set(copy, copy);
  return copy;
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
