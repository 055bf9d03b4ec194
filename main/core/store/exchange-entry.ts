/**
 * One stored exchange in memory. How each log record changes it is ./entry-records.ts.
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
import { intern } from './interned-strings';
import type { ByteRanges, LoggedMessage, RecordRef } from './log-format';
import { displayUrl } from './summary-derive';

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
  /** Its place in the store's list of exchanges not logged yet (../slot-list.ts). */
  listSlot = -1;

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
