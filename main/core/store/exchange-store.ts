/**
 * The exchange store: every exchange the proxy, the sender or an import records, kept in
 * an append-only log on disk (./log-format.ts, docs/capture-format.md) and summarized in
 * memory. Reopening the same data folder replays the log: a crash loses at most what was
 * in flight, and those exchanges come back as failed `INTERRUPTED`.
 *
 * This class opens, reads, clears and closes the store; how exchanges are recorded into it
 * is the class it extends, StoreRecording (./store-recording.ts).
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
import type { ExchangeDetail } from '../../../shared/model/exchange';
import { compileFilter } from './store-filter';
import { EntryList } from './entry-list';
import type { ExchangeEntry } from './exchange-entry';
import { StoreExchangeWriter } from './exchange-writer';
import { LogAppender } from './log-appender';
import { archiveLog, acquireLock, releaseLock } from './log-archive';
import { BODIES_FILE, LOG_FORMAT, LOG_VERSION, RECORDS_FILE } from './log-format';
import { loadLog, type LoadProgress } from './log-load';
import { CAPTURE_DIR, DEFAULTS, type ExchangeStoreOptions } from './store-options';
import { readBodySlice } from './body-slice';
import { detailOf, readSide, type ReadContext } from './store-reads';
import { STORE_ERROR_CODES, StoreError } from './store-error';
import { StoreRecording } from './store-recording';

export { CAPTURE_DIR, type ExchangeStoreOptions, type LoadProgress };

export class ExchangeStore extends StoreRecording {
  /** Problems found while replaying the log on open (torn tail, bad lines). */
  readonly recoveryWarnings: string[] = [];
  /** Where records.ndjson / bodies.bin live. */
  readonly captureDir: string;
  private readFds: { records: number; bodies: number } | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  private constructor(dataDir: string, options: ExchangeStoreOptions) {
    super(options);
    this.captureDir = path.join(dataDir, CAPTURE_DIR);
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

  // ---- Clear, close ----------------------------------------------------------------------

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
