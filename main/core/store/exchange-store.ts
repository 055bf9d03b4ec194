/**
 * The exchange store: every exchange the proxy, the sender or an import records, kept in
 * an append-only log on disk (./log-format.ts, docs/capture-format.md) and summarized in
 * memory. Reopening the same data folder replays the log: a crash loses at most what was
 * in flight, and those exchanges come back as failed `INTERRUPTED`.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import type {
  BodySlice,
  BodySliceQuery,
  InspectorEvent,
  ListQuery,
  ListResult,
  MessageSide,
} from '../../../shared/api/inspector-api';
import type { ConnectionRecord, ExchangeDetail } from '../../../shared/model/exchange';
import { compileFilter } from './store-filter';
import { EntryList } from './entry-list';
import { queueChunk, queueRecord } from './record-coalescing';
import { EventBatcher } from './event-batcher';
import {
  applyFinal,
  applyRecord,
  ExchangeEntry,
  endRecordOf,
  finalState,
  joinMemory,
  LiveExchange,
  settleWhole,
} from './exchange-entry';
import { exchangeLine } from './exchange-line';
import { JsonBytes } from './json-bytes';
import { logInFlight } from './in-flight-log';
import { StoreExchangeWriter, type RecordSink } from './exchange-writer';
import { nowMs } from '../clock';
import { importInto, type ImportExchangeInput } from './import-exchange';
import { LogAppender } from './log-appender';
import { archiveLog, acquireLock, releaseLock } from './log-archive';
import {
  BODIES_FILE,
  LOG_FORMAT,
  LOG_VERSION,
  RECORDS_FILE,
  type LogRecord,
  type SideCode,
} from './log-format';
import { loadLog, type LoadProgress } from './log-load';
import { CAPTURE_DIR, DEFAULTS, type ExchangeStoreOptions } from './store-options';
import type { ExchangeRecorder, ExchangeWriter, NewExchange } from './recorder-types';
import { readBodySlice } from './body-slice';
import { detailOf, readSide, type ReadContext } from './store-reads';
import { STORE_ERROR_CODES, StoreError } from './store-error';

export { CAPTURE_DIR, type ExchangeStoreOptions, type LoadProgress };

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

export class ExchangeStore implements ExchangeRecorder, RecordSink {
  /** Problems found while replaying the log on open (torn tail, bad lines). */
  readonly recoveryWarnings: string[] = [];
  /** Where records.ndjson / bodies.bin live. */
  readonly captureDir: string;
  readonly memoryLimit: number;
  /** The stored exchanges, oldest first. */
  entries: EntryList;
  connections = new Map<number, ConnectionRecord>();
  nextId = 1;
  nextConnectionId = 1;
  private generation = 0;
  private appender!: LogAppender;
  /** Where `x` lines are written (./json-bytes.ts). */
  private readonly lines = new JsonBytes();
  private readFds: { records: number; bodies: number } | null = null;
  private readonly batcher: EventBatcher;
  private ended: Ended[] = [];
  /**
   * Exchanges in flight that nothing is written for yet: each is written whole, as one
   * `x` record, when it finishes — unless it runs longer than `inFlightRecordAfterMs` or
   * outgrows the in-memory limit, when it starts being logged as it goes (LiveLog).
   */
  private unlogged = new Set<ExchangeEntry>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    dataDir: string,
    private readonly options: ExchangeStoreOptions,
  ) {
    this.captureDir = path.join(dataDir, CAPTURE_DIR);
    this.memoryLimit = options.bodyInMemoryLimit ?? DEFAULTS.bodyInMemoryLimit;
    this.batcher = new EventBatcher(options.eventIntervalMs ?? DEFAULTS.eventIntervalMs);
    this.entries = new EntryList(options.memoryBudget ?? DEFAULTS.memoryBudget);
  }

  /**
   * Opens (creating if needed) the capture log in `dataDir` and replays it. The replay
   * yields to the event loop between 8 MiB pieces of records.ndjson and reports
   * `options.onProgress(doneBytes, totalBytes)` after each.
   */
  static async open(dataDir: string, options: ExchangeStoreOptions = {}): Promise<ExchangeStore> {
    const store = new ExchangeStore(dataDir, options);
    mkdirSync(store.captureDir, { recursive: true, mode: 0o700 });
    acquireLock(store.captureDir);
    try {
      await store.load();
    } catch (error) {
      releaseLock(store.captureDir);
      throw error;
    }
    return store;
  }

  private async load(): Promise<void> {
    const recordsPath = path.join(this.captureDir, RECORDS_FILE);
    const bodiesPath = path.join(this.captureDir, BODIES_FILE);
    const fresh = !existsSync(recordsPath);
    const bodiesSize = existsSync(bodiesPath) ? statSync(bodiesPath).size : 0;
    const recordsSize = fresh
      ? 0
      : await loadLog(this, recordsPath, bodiesSize, this.options.onProgress);
    this.entries.countRaw();
    this.startAppender(recordsSize, bodiesSize, fresh);
    // Exchanges in flight when the last run died: recorded as failed, with what they had.
    const { items, head } = this.entries;
    for (let i = head; i < items.length; i++) {
      const entry = items[i];
      if (!entry.live) continue;
      new StoreExchangeWriter(this, entry, this.generation).fail({
        code: STORE_ERROR_CODES.INTERRUPTED,
        message: 'Wirelens stopped before this exchange finished (crash or kill)',
      });
    }
    this.appender.flush();
  }

  private startAppender(recordsSize: number, bodiesSize: number, writeHello: boolean): void {
    this.appender = new LogAppender(
      this.captureDir,
      recordsSize,
      bodiesSize,
      this.options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
      (error) => this.writeFailed(error),
      () => this.finalizeEnded(),
      this.options.finishedWriteDelayMs ?? DEFAULTS.finishedWriteDelayMs,
    );
    if (writeHello) {
      this.appender.append({
        t: 'hello',
        format: LOG_FORMAT,
        version: LOG_VERSION,
        createdAt: Date.now(),
        firstId: this.nextId,
        firstConnectionId: this.nextConnectionId,
      });
      this.appender.flush();
    }
    this.readFds = {
      records: openSync(path.join(this.captureDir, RECORDS_FILE), 'r'),
      bodies: openSync(path.join(this.captureDir, BODIES_FILE), 'r'),
    };
    if (!this.sweepTimer) {
      const after = this.inFlightRecordAfterMs;
      this.sweepTimer = setInterval(() => this.sweep(after), Math.max(5, after / 2));
      this.sweepTimer.unref();
    }
  }

  private get inFlightRecordAfterMs(): number {
    return this.options.inFlightRecordAfterMs ?? DEFAULTS.inFlightRecordAfterMs;
  }

  /** Starts logging the exchanges that have been in flight for `afterMs` or more. */
  private sweep(afterMs: number): void {
    const now = performance.now();
    for (const entry of this.unlogged) {
      if (!this.accepts(entry, this.generation)) this.unlogged.delete(entry);
      else if (now - entry.live!.bornAt >= afterMs) this.logInFlight(entry);
    }
  }

  /** From now on this exchange is written as it goes (see ./in-flight-log.ts). */
  private logInFlight(entry: ExchangeEntry): void {
    this.unlogged.delete(entry);
    logInFlight(this.appender, entry);
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
  private finalizeEnded(): void {
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
  private writeFailed(error: Error): void {
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

  // ---- Queries ------------------------------------------------------------------------

  get size(): number {
    return this.entries.size;
  }

  /** The exchange with this id, or undefined. */
  find(id: number): ExchangeEntry | undefined {
    return this.entries.find(id);
  }

  list(query: ListQuery = {}): ListResult {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = query.limit === undefined ? Infinity : Math.max(0, Math.floor(query.limit));
    const matches = compileFilter(query.filter, this.readContext());
    const items = [];
    let total = 0;
    const { items: all, head } = this.entries;
    for (let i = head; i < all.length; i++) {
      const entry = all[i];
      if (matches && !matches(entry)) continue;
      if (total >= offset && items.length < limit) items.push(entry.toSummary());
      total++;
    }
    return { items, total };
  }

  get(id: number): ExchangeDetail | null {
    const entry = this.find(id);
    return entry ? detailOf(entry, this.readContext()) : null;
  }

  async readBody(query: BodySliceQuery): Promise<BodySlice> {
    const entry = this.requireEntry(query.id);
    return readBodySlice(entry, query, this.readContext());
  }

  /** The whole raw message of one side (head and body, as on the wire). */
  async readRaw(id: number, side: MessageSide): Promise<Uint8Array> {
    const entry = this.requireEntry(id);
    return readSide(entry, side, 0, Infinity, this.readContext());
  }

  subscribe(listener: (event: InspectorEvent) => void): () => void {
    return this.batcher.subscribe(listener);
  }

  /**
   * Writes everything pending now (records and subscriber events), exchanges in flight
   * included (they start being logged as they go, so a capture saved now has them).
   */
  flush(): void {
    if (this.closed) return;
    this.logAllInFlight();
    this.appender.flush();
    this.batcher.flush();
  }

  private logAllInFlight(): void {
    for (const entry of this.unlogged) {
      if (this.accepts(entry, this.generation)) this.logInFlight(entry);
    }
    this.unlogged.clear();
  }

  private requireEntry(id: number): ExchangeEntry {
    const entry = this.find(id);
    if (!entry)
      throw new StoreError(STORE_ERROR_CODES.NOT_FOUND, `No exchange #${id} in the store`);
    return entry;
  }

  readContext(): ReadContext {
    if (!this.readFds)
      throw new StoreError(STORE_ERROR_CODES.STORE_CLOSED, 'The exchange store is closed');
    const fds = this.readFds;
    return {
      recordsFd: fds.records,
      bodiesFd: fds.bodies,
      flushPending: () => this.appender.flush(),
      connection: (id) => {
        const conn = this.connections.get(id);
        return conn ? structuredClone(conn) : null;
      },
    };
  }

  // ---- Size cap, clear, close -----------------------------------------------------------

  private enforceCap(): void {
    const max = this.options.maxExchanges;
    const upTo = max === undefined ? null : this.entries.overflowUpTo(max);
    if (upTo === null) return;
    this.appender.append({ t: 'evict', upToId: upTo, at: Date.now() });
    const count = this.entries.evictUpTo(upTo);
    this.batcher.onEvicted(upTo, count);
  }

  /**
   * Starts a new, empty log. The old one is moved to `archive/<time>/`, never deleted on
   * the spot (only archives beyond `keepArchives` are removed).
   */
  async clear(): Promise<void> {
    if (this.closed)
      throw new StoreError(STORE_ERROR_CODES.STORE_CLOSED, 'The exchange store is closed');
    await this.appender.close();
    this.closeReadFds();
    try {
      archiveLog(this.captureDir, this.options.keepArchives ?? DEFAULTS.keepArchives);
    } catch (error) {
      // Nothing was cleared: keep appending to the log as it is, and say why.
      const size = (name: string): number => statSync(path.join(this.captureDir, name)).size;
      this.startAppender(size(RECORDS_FILE), size(BODIES_FILE), false);
      throw new StoreError(
        STORE_ERROR_CODES.STORE_WRITE_FAILED,
        `Could not move the capture log to the archive: ${(error as Error).message}`,
      );
    }
    this.generation++;
    this.unlogged.clear();
    this.entries = new EntryList(this.options.memoryBudget ?? DEFAULTS.memoryBudget);
    this.connections.clear();
    this.ended = [];
    this.startAppender(0, 0, true);
    this.batcher.cleared();
  }

  /** Flushes and closes the files (graceful shutdown). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Still in flight: written as they are, so a reopen brings them back as interrupted.
    this.logAllInFlight();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const appenderClosed = this.appender.close();
    this.batcher.close();
    this.closed = true;
    this.closeReadFds();
    await appenderClosed; // a pool write of bytes already written again may still run
    releaseLock(this.captureDir);
  }

  private closeReadFds(): void {
    if (!this.readFds) return;
    closeSync(this.readFds.records);
    closeSync(this.readFds.bodies);
    this.readFds = null;
  }
}
