/**
 * How exchanges are recorded into the store: the ExchangeRecorder that producers call
 * (proxy, sender, import) and the RecordSink their writers call. Each record is applied to
 * the exchange in memory (./entry-records.ts) and queued for the log. An exchange is written
 * whole, as one `x` record, when it finishes — or as it goes once it runs long or grows big
 * (./in-flight-log.ts); a finished one becomes final only once its record is written.
 * ExchangeStore (./exchange-store.ts) extends this with opening, queries, clear and close.
 */
import type { ConnectionRecord } from '../../../shared/model/exchange';
import { SlotList } from '../slot-list';
import { EntryList } from './entry-list';
import { queueChunk, queueRecord } from './record-coalescing';
import { EventBatcher } from './event-batcher';
import { ExchangeEntry, LiveExchange } from './exchange-entry';
import {
  applyFinal,
  applyRecord,
  endRecordOf,
  finalState,
  joinMemory,
  settleWhole,
} from './entry-records';
import { exchangeLine } from './exchange-line';
import { JsonBytes } from './json-bytes';
import { logInFlight } from './in-flight-log';
import { StoreExchangeWriter, type RecordSink } from './exchange-writer';
import { nowMs } from '../clock';
import { importInto, type ImportExchangeInput } from './import-exchange';
import type { LogAppender } from './log-appender';
import type { LogRecord, SideCode } from './log-format';
import { DEFAULTS, type ExchangeStoreOptions } from './store-options';
import type { ExchangeRecorder, ExchangeWriter, NewExchange } from './recorder-types';
import { STORE_ERROR_CODES } from './store-error';

type EndRecord = Extract<LogRecord, { t: 'end' }>;

/** Pieces at least this big, not kept in memory, are written without a copy. */
const DIRECT_WRITE_BYTES = 16 * 1024;

/** A finished exchange whose final record is queued; it becomes final once written. */
interface Ended {
  entry: ExchangeEntry;
  /** The `end` record of an exchange logged while in flight; null for an `x` record. */
  record: EndRecord | null;
  at: number;
}

export abstract class StoreRecording implements ExchangeRecorder, RecordSink {
  readonly memoryLimit: number;
  /** The stored exchanges, oldest first. */
  entries: EntryList;
  connections = new Map<number, ConnectionRecord>();
  nextId = 1;
  nextConnectionId = 1;
  /** Counts `clear()`s: writers of exchanges from before one are ignored (see `accepts`). */
  protected generation = 0;
  protected appender!: LogAppender;
  /** Where `x` lines are written (./json-bytes.ts). */
  private readonly lines = new JsonBytes();
  protected readonly batcher: EventBatcher;
  protected ended: Ended[] = [];
  /**
   * Exchanges in flight that nothing is written for yet: each is written whole, as one
   * `x` record, when it finishes — unless it runs longer than `inFlightRecordAfterMs` or
   * outgrows the in-memory limit, when it starts being logged as it goes (LiveLog).
   */
  protected unlogged = new SlotList<ExchangeEntry>();
  protected closed = false;

  protected constructor(protected readonly options: ExchangeStoreOptions) {
    this.memoryLimit = options.bodyInMemoryLimit ?? DEFAULTS.bodyInMemoryLimit;
    this.batcher = new EventBatcher(options.eventIntervalMs ?? DEFAULTS.eventIntervalMs);
    this.entries = new EntryList(options.memoryBudget ?? DEFAULTS.memoryBudget);
  }

  // ---- In flight: written whole when finished, or as it goes ---------------------------

  /** Starts logging the exchanges that have been in flight for `afterMs` or more. */
  protected sweep(afterMs: number): void {
    const now = performance.now();
    this.unlogged.forEach((entry) => {
      if (!this.accepts(entry, this.generation)) this.unlogged.delete(entry);
      else if (now - entry.live!.bornAt >= afterMs) this.logInFlight(entry);
    });
  }

  /** From now on this exchange is written as it goes (see ./in-flight-log.ts). */
  private logInFlight(entry: ExchangeEntry): void {
    this.unlogged.delete(entry);
    logInFlight(this.appender, entry);
  }

  protected logAllInFlight(): void {
    this.unlogged.forEach((entry) => {
      if (this.accepts(entry, this.generation)) this.logInFlight(entry);
    });
    this.unlogged.clear();
  }

  // ---- ExchangeRecorder -------------------------------------------------------------

  openConnection(init: Omit<ConnectionRecord, 'id'>): number {
    const id = this.nextConnectionId++;
    const conn: ConnectionRecord = { ...init, id };
    if (this.closed) return id;
    this.connections.set(id, conn);
    this.appender.append({ t: 'conn', conn });
    return id;
  }

  updateConnection(id: number, patch: Partial<Omit<ConnectionRecord, 'id'>>): void {
    const conn = this.connections.get(id);
    if (!conn || this.closed) return;
    Object.assign(conn, patch, { id });
    this.appender.append({ t: 'connu', id, patch });
  }

  /** See ExchangeRecorder.writesBehind. */
  get writesBehind(): boolean {
    return !this.closed && this.appender.bodiesBehind;
  }

  whenCaughtUp(callback: () => void): void {
    if (this.closed) callback();
    else this.appender.whenBodiesCaughtUp(callback);
  }

  startExchange(init: NewExchange): ExchangeWriter {
    const id = this.nextId++;
    const timings = { ...init.timings, start: init.timings?.start ?? nowMs() };
    const entry = new ExchangeEntry(
      id,
      init.connectionId,
      init.indexOnConnection,
      init.source,
      init.scheme,
      init.host,
      init.port,
      timings.start,
      new LiveExchange(timings),
    );
    if (!this.closed) {
      this.unlogged.add(entry);
      this.entries.push(entry);
      this.batcher.onAdded(entry);
      this.enforceCap();
    }
    return new StoreExchangeWriter(this, entry, this.generation);
  }

  /** Adds one complete exchange from elsewhere (HAR, capture file): source `import`. */
  importExchange(input: ImportExchangeInput): number {
    return importInto(this, input);
  }

  // ---- RecordSink (called by writers) -------------------------------------------------

  private accepts(entry: ExchangeEntry, generation: number): boolean {
    return (
      !this.closed &&
      generation === this.generation &&
      entry.live !== null &&
      !entry.live.ending &&
      entry.id > this.entries.evictedUpTo
    );
  }

  record(entry: ExchangeEntry, generation: number, record: LogRecord): void {
    if (!this.accepts(entry, generation)) return;
    applyRecord(entry, record, null, this.memoryLimit);
    if (entry.live!.log) queueRecord(this.appender, entry, record);
    this.batcher.onUpdated(entry);
  }

  bytes(entry: ExchangeEntry, generation: number, side: SideCode, bytes: Uint8Array): void {
    if (!this.accepts(entry, generation) || !(bytes instanceof Uint8Array)) return;
    if (bytes.length === 0) return;
    const live = entry.live!;
    const kept =
      live.memory !== null &&
      entry.requestBytes + entry.responseBytes + bytes.length <= this.memoryLimit;
    // A big piece the exchange will not keep in memory is written from the producer's
    // buffer (which it does not change afterwards, see ExchangeWriter): no copy of every
    // piece of a big body. Small pieces are copied (memory keeps them) and batched.
    let offset: number;
    let copy: Uint8Array | null = null;
    if (kept || bytes.length < DIRECT_WRITE_BYTES)
      ({ offset, copy } = this.appender.appendBytes(bytes));
    else offset = this.appender.addUncopied(bytes);
    const piece = { t: 'chunk' as const, id: entry.id, s: side, o: offset, n: bytes.length };
    applyRecord(entry, piece, copy, this.memoryLimit);
    if (live.log) queueChunk(this.appender, entry, side, offset, bytes.length);
    // Too big to keep in memory: a big body is logged as it streams, not only at its end.
    else if (live.memory === null) this.logInFlight(entry);
    this.batcher.onUpdated(entry);
  }

  finish(entry: ExchangeEntry, generation: number): void {
    if (!this.accepts(entry, generation)) return;
    const live = entry.live!;
    live.ending = true;
    this.unlogged.delete(entry);
    const at = nowMs();
    if (live.log) {
      let built: EndRecord | null = null;
      // Built lazily at serialization, after the message records of the same batch were
      // placed, so its references to them are known.
      const lazy = { toJSON: () => (built = endRecordOf(entry, at)) };
      this.appender.append(lazy, (ref) => {
        entry.endOffset = ref[0];
        entry.endLength = ref[1];
        this.ended.push({ entry, record: built!, at });
      });
    } else {
      this.appender.append(exchangeLine(this.lines, entry, finalState(entry), at), (ref) => {
        entry.endOffset = ref[0];
        entry.endLength = ref[1];
        this.ended.push({ entry, record: null, at });
      });
    }
    this.appender.flushSoon();
  }

  /** After a write: finished exchanges become final (and are reported complete) only now. */
  protected finalizeEnded(): void {
    const ended = this.ended;
    this.ended = [];
    for (const { entry, record, at } of ended) {
      if (record) applyFinal(entry, record);
      else settleWhole(entry, finalState(entry), at);
      joinMemory(entry);
      entry.live = null;
      this.entries.keptRaw(entry);
      this.batcher.onUpdated(entry);
    }
  }

  /**
   * A batch could not be written: exchanges whose end record was in it are not complete
   * on disk, so they stay in flight (a restart brings them back as interrupted).
   */
  protected writeFailed(error: Error): void {
    for (const { entry } of this.ended) {
      entry.endOffset = -1;
      entry.endLength = 0;
    }
    this.ended = [];
    this.reportError('writing the capture log', error);
  }

  reportError(context: string, error: unknown): void {
    const message = `Exchange store: ${context} failed: ${(error as Error)?.message ?? String(error)}`;
    this.batcher.notice('error', message, STORE_ERROR_CODES.STORE_WRITE_FAILED);
  }

  // ---- Size cap -------------------------------------------------------------------------

  private enforceCap(): void {
    const max = this.options.maxExchanges;
    const upTo = max === undefined ? null : this.entries.overflowUpTo(max);
    if (upTo === null) return;
    this.appender.append({ t: 'evict', upToId: upTo, at: Date.now() });
    const count = this.entries.evictUpTo(upTo);
    this.batcher.onEvicted(upTo, count);
  }
}
