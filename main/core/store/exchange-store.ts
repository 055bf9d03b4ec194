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
import { EventBatcher } from './event-batcher';
import { applyEnd, applyRecord, ExchangeEntry, endRecordOf, joinMemory } from './exchange-entry';
import { StoreExchangeWriter, nowMs, type RecordSink } from './exchange-writer';
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
import { loadLog } from './log-load';
import type { ExchangeRecorder, ExchangeWriter, NewExchange } from './recorder-types';
import { readBodySlice } from './body-slice';
import { detailOf, readSide, type ReadContext } from './store-reads';
import { STORE_ERROR_CODES, StoreError } from './store-error';

export interface ExchangeStoreOptions {
  /** Keep at most this many exchanges; the oldest are evicted with a notice. Default: no cap. */
  maxExchanges?: number;
  /** Messages of exchanges up to this many raw bytes (both sides) stay in memory. 64 KiB. */
  bodyInMemoryLimit?: number;
  /** Longest time a record waits in memory before being written. Default 25 ms. */
  flushIntervalMs?: number;
  /** Subscriber batches at most this often. Default 50 ms. */
  eventIntervalMs?: number;
  /** Archived logs kept by `clear()` (older ones are deleted). Default 5. */
  keepArchives?: number;
  /**
   * Total raw bytes of small exchanges kept in memory. Beyond it the oldest exchanges'
   * bytes are dropped from memory (they stay on disk and are read back). Default 256 MiB.
   */
  memoryBudget?: number;
}

/** The capture log lives in this subfolder of the data folder. */
export const CAPTURE_DIR = 'capture';

export class ExchangeStore implements ExchangeRecorder, RecordSink {
  /** Problems found while replaying the log on open (torn tail, bad lines). */
  readonly recoveryWarnings: string[] = [];
  /** Where records.ndjson / bodies.bin live. */
  readonly captureDir: string;
  readonly memoryLimit: number;
  /** Oldest first; `entries[head…]` are the live ones (evicted ones are dropped lazily). */
  entries: ExchangeEntry[] = [];
  private head = 0;
  connections = new Map<number, ConnectionRecord>();
  nextId = 1;
  nextConnectionId = 1;
  evictedUpTo = 0;
  private generation = 0;
  private appender!: LogAppender;
  private readFds: { records: number; bodies: number } | null = null;
  private readonly batcher: EventBatcher;
  private ended: Array<{ entry: ExchangeEntry; record: Extract<LogRecord, { t: 'end' }> }> = [];
  private closed = false;
  /** Raw bytes held in memory, and the first index that may still hold some. */
  private rawBytes = 0;
  private rawCursor = 0;

  private constructor(
    dataDir: string,
    private readonly options: ExchangeStoreOptions,
  ) {
    this.captureDir = path.join(dataDir, CAPTURE_DIR);
    this.memoryLimit = options.bodyInMemoryLimit ?? 64 * 1024;
    this.batcher = new EventBatcher(options.eventIntervalMs ?? 50);
  }

  /** Opens (creating if needed) the capture log in `dataDir` and replays it. */
  static async open(dataDir: string, options: ExchangeStoreOptions = {}): Promise<ExchangeStore> {
    const store = new ExchangeStore(dataDir, options);
    mkdirSync(store.captureDir, { recursive: true, mode: 0o700 });
    acquireLock(store.captureDir);
    try {
      store.load();
    } catch (error) {
      releaseLock(store.captureDir);
      throw error;
    }
    return store;
  }

  private load(): void {
    const recordsPath = path.join(this.captureDir, RECORDS_FILE);
    const bodiesPath = path.join(this.captureDir, BODIES_FILE);
    const fresh = !existsSync(recordsPath);
    const bodiesSize = existsSync(bodiesPath) ? statSync(bodiesPath).size : 0;
    const recordsSize = fresh ? 0 : loadLog(this, recordsPath, bodiesPath, bodiesSize);
    for (let i = this.head; i < this.entries.length; i++)
      this.rawBytes += this.entries[i].raw?.length ?? 0;
    this.trimRaw();
    this.startAppender(recordsSize, bodiesSize, fresh);
    // Exchanges in flight when the last run died: recorded as failed, with what they had.
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
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
      this.options.flushIntervalMs ?? 25,
      (error) => this.reportError('writing the capture log', error),
      () => this.finalizeEnded(),
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

  startExchange(init: NewExchange): ExchangeWriter {
    const id = this.nextId++;
    const record: Extract<LogRecord, { t: 'start' }> = {
      t: 'start',
      id,
      connectionId: init.connectionId,
      indexOnConnection: init.indexOnConnection,
      source: init.source,
      scheme: init.scheme,
      host: init.host,
      port: init.port,
      timings: { ...init.timings, start: init.timings?.start ?? nowMs() },
    };
    const entry = new ExchangeEntry(
      id,
      record.connectionId,
      record.indexOnConnection,
      record.source,
      record.scheme,
      record.host,
      record.port,
      record.timings.start,
    );
    entry.live!.timings = { ...record.timings };
    if (!this.closed) {
      this.appender.append(record);
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
      entry.id > this.evictedUpTo
    );
  }

  record(entry: ExchangeEntry, generation: number, record: LogRecord): void {
    if (!this.accepts(entry, generation)) return;
    applyRecord(entry, record, null, this.memoryLimit);
    if (record.t === 'msg' && record.s !== 'i') {
      // A producer sets a head first and the completed message later: when the earlier
      // record is still waiting to be written, the later one replaces it.
      const live = entry.live!;
      const open = live.openMessage[record.s];
      if (open && open.flush === this.appender.flushCount) {
        open.record.m = record.m;
      } else {
        this.appendMessage(entry, record);
        live.openMessage[record.s] = { record, flush: this.appender.flushCount };
      }
    } else if (record.t === 'msg') {
      this.appendMessage(entry, record);
    } else if (record.t === 'tunnel') {
      // Tunnel counters are reported per relayed chunk: one record per flush is enough.
      const live = entry.live!;
      const open = live.openTunnel;
      if (open && open.flush === this.appender.flushCount) {
        open.record.up = record.up;
        open.record.down = record.down;
      } else {
        this.appender.append(record);
        live.openTunnel = { record, flush: this.appender.flushCount };
      }
    } else {
      this.appender.append(record);
    }
    this.batcher.onUpdated(entry);
  }

  private appendMessage(entry: ExchangeEntry, record: Extract<LogRecord, { t: 'msg' }>): void {
    const side = record.s;
    this.appender.append(record, (ref) => {
      const live = entry.live;
      if (!live) return;
      if (side === 'i') live.refs.i.push(ref);
      else live.refs[side] = ref;
    });
  }

  bytes(entry: ExchangeEntry, generation: number, side: SideCode, bytes: Uint8Array): void {
    if (!this.accepts(entry, generation) || !(bytes instanceof Uint8Array) || bytes.length === 0)
      return;
    const live = entry.live!;
    const { offset, copy } = this.appender.appendBytes(bytes);
    const piece = { t: 'chunk' as const, id: entry.id, s: side, o: offset, n: copy.length };
    applyRecord(entry, piece, copy, this.memoryLimit);
    // Contiguous bytes of the same side within one flush share one record.
    const open = live.openChunk[side];
    if (
      open &&
      open.flush === this.appender.flushCount &&
      open.record.o + open.record.n === offset
    ) {
      open.record.n += copy.length;
    } else {
      const record = { ...piece };
      this.appender.append(record);
      live.openChunk[side] = { record, flush: this.appender.flushCount };
    }
    this.batcher.onUpdated(entry);
  }

  finish(entry: ExchangeEntry, generation: number): void {
    if (!this.accepts(entry, generation)) return;
    entry.live!.ending = true;
    const at = nowMs();
    let built: Extract<LogRecord, { t: 'end' }> | null = null;
    // Built lazily at serialization, after the message records of the same batch were
    // placed, so its references to them are known.
    const lazy = { toJSON: () => (built = endRecordOf(entry, at)) };
    this.appender.append(lazy, (ref) => {
      entry.endOffset = ref[0];
      entry.endLength = ref[1];
      this.ended.push({ entry, record: built! });
    });
    this.appender.flushSoon();
  }

  /** After a write: finished exchanges become final (and are reported complete) only now. */
  private finalizeEnded(): void {
    const ended = this.ended;
    this.ended = [];
    for (const { entry, record } of ended) {
      applyEnd(entry, record);
      joinMemory(entry);
      entry.live = null;
      this.keptRaw(entry);
      this.batcher.onUpdated(entry);
    }
  }

  /** Counts a finished exchange's in-memory bytes against the budget. */
  private keptRaw(entry: ExchangeEntry): void {
    if (!entry.raw) return;
    // Older than what the budget already dropped: drop this one too (keeps the cursor true).
    if (this.rawCursor > this.head) {
      const cursor = this.entries[this.rawCursor];
      if (!cursor || entry.id < cursor.id) {
        entry.raw = null;
        return;
      }
    }
    this.rawBytes += entry.raw.length;
    this.trimRaw();
  }

  private trimRaw(): void {
    const budget = this.options.memoryBudget ?? 256 * 1024 * 1024;
    if (this.rawCursor < this.head) this.rawCursor = this.head;
    while (this.rawBytes > budget && this.rawCursor < this.entries.length) {
      const entry = this.entries[this.rawCursor++];
      if (entry.raw) {
        this.rawBytes -= entry.raw.length;
        entry.raw = null;
      }
    }
  }

  reportError(context: string, error: unknown): void {
    const message = `Exchange store: ${context} failed: ${(error as Error)?.message ?? String(error)}`;
    this.batcher.notice('error', message, STORE_ERROR_CODES.STORE_WRITE_FAILED);
  }

  // ---- Queries ------------------------------------------------------------------------

  get size(): number {
    return this.entries.length - this.head;
  }

  /** The exchange with this id, or undefined (binary search: ids only grow). */
  find(id: number): ExchangeEntry | undefined {
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid];
      if (e.id === id) return e;
      if (e.id < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  list(query: ListQuery = {}): ListResult {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = query.limit === undefined ? Infinity : Math.max(0, Math.floor(query.limit));
    const matches = compileFilter(query.filter, this.readContext());
    const items = [];
    let total = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
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

  /** Writes everything pending now (records and subscriber events). */
  flush(): void {
    if (this.closed) return;
    this.appender.flush();
    this.batcher.flush();
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
    if (max === undefined || this.size <= max) return;
    const upTo = this.entries[this.head + (this.size - max) - 1].id;
    this.appender.append({ t: 'evict', upToId: upTo, at: Date.now() });
    const count = this.evictUpTo(upTo);
    this.batcher.onEvicted(upTo, count);
  }

  /** Drops exchanges with id ≤ upTo from memory; returns how many. */
  evictUpTo(upTo: number): number {
    let count = 0;
    while (this.head < this.entries.length && this.entries[this.head].id <= upTo) {
      const raw = this.entries[this.head].raw;
      if (raw) this.rawBytes -= raw.length;
      this.head++;
      count++;
    }
    this.evictedUpTo = Math.max(this.evictedUpTo, upTo);
    // Compact now and then rather than shifting the array on every eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.rawCursor = Math.max(0, this.rawCursor - this.head);
      this.head = 0;
    }
    return count;
  }

  /**
   * Starts a new, empty log. The old one is moved to `archive/<time>/`, never deleted on
   * the spot (only archives beyond `keepArchives` are removed).
   */
  async clear(): Promise<void> {
    if (this.closed)
      throw new StoreError(STORE_ERROR_CODES.STORE_CLOSED, 'The exchange store is closed');
    this.appender.close();
    this.closeReadFds();
    archiveLog(this.captureDir, this.options.keepArchives ?? 5);
    this.generation++;
    this.entries = [];
    this.head = 0;
    this.rawBytes = 0;
    this.rawCursor = 0;
    this.connections.clear();
    this.ended = [];
    this.startAppender(0, 0, true);
    this.batcher.cleared();
  }

  /** Flushes and closes the files (graceful shutdown). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.appender.close();
    this.batcher.close();
    this.closed = true;
    this.closeReadFds();
    releaseLock(this.captureDir);
  }

  private closeReadFds(): void {
    if (!this.readFds) return;
    closeSync(this.readFds.records);
    closeSync(this.readFds.bodies);
    this.readFds = null;
  }
}
