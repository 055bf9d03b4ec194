/**
 * Rebuilds the in-memory store from records.ndjson on open. Damage is reported in
 * `recoveryWarnings`, never thrown: a torn last record (kill mid-write) is moved aside to
 * `archive/torn-<time>.ndjson` and cut off so new records start on a clean line.
 *
 * Bodies are not read: a reopened store keeps no raw bytes in memory (reading them all
 * back was most of an open's time); they are read from bodies.bin when asked for.
 *
 * Speed: most exchanges are one `x` record, of which only the summary part (before the
 * messages) is parsed. One logged while in flight is rebuilt from its `start` and `end`
 * records (the end record carries the list row); its in-flight records (chunks, messages,
 * marks…) are only located, not parsed — unless it has no `end` (interrupted), in which
 * case they are parsed and applied through the same `applyRecord` as when first recorded.
 *
 * `x` records are written when exchanges finish, so ids arrive out of order: entries are
 * collected, sorted by id once at the end, and evictions (which only ever name ids that
 * can no longer finish) applied then.
 */
import { closeSync, openSync, readSync, truncateSync } from 'node:fs';
import type { ConnectionRecord } from '../../../shared/model/exchange';
import type { ExchangeEntry } from './exchange-entry';
import {
  applyFinal,
  applyRecord,
  entryFromExchangeRecord,
  entryFromStart,
  type ExchangeHead,
} from './entry-records';
import type { EntryList } from './entry-list';
import type { ByteRanges, LogRecord, RecordRef } from './log-format';
import { LOG_VERSION } from './log-format';
import { saveTornTail } from './log-archive';
import { parseLine, replayRecords } from './log-replay';

/** The parts of the store that loading fills in. */
export interface LoadTarget {
  readonly recoveryWarnings: string[];
  readonly memoryLimit: number;
  readonly captureDir: string;
  readonly entries: EntryList;
  connections: Map<number, ConnectionRecord>;
  nextId: number;
  nextConnectionId: number;
}

type EndRecord = Extract<LogRecord, { t: 'end' }>;

/** Replay progress: bytes of records.ndjson read so far, of the total. */
export type LoadProgress = (done: number, total: number) => void;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const within = (ranges: ByteRanges, size: number): boolean =>
  ranges.every(([offset, length]) => offset + length <= size);

/**
 * Replays the log into `store`; returns the length of records.ndjson to append after.
 * Yields to the event loop between pieces of the file (after `onProgress`).
 */
export async function loadLog(
  store: LoadTarget,
  recordsPath: string,
  bodiesSize: number,
  onProgress?: LoadProgress,
): Promise<number> {
  const recordsFd = openSync(recordsPath, 'r');
  const inFlight = new Map<number, RecordRef[]>();
  /** Every exchange in log order; `open` are those started but not ended yet. */
  const all: ExchangeEntry[] = [];
  const open = new Map<number, ExchangeEntry>();
  let sorted = true;
  let lastId = 0;
  let evictUpTo = 0;
  let lostBytes = 0;
  let newerVersion = false;

  const add = (entry: ExchangeEntry): void => {
    if (entry.id <= lastId) sorted = false;
    else lastId = entry.id;
    all.push(entry);
    if (entry.id >= store.nextId) store.nextId = entry.id + 1;
  };

  const finishEntry = (
    entry: ExchangeEntry,
    record: EndRecord | ExchangeHead,
    ref: RecordRef,
  ): void => {
    applyFinal(entry, record);
    entry.endOffset = ref[0];
    entry.endLength = ref[1];
    entry.live = null;
    if (!within(record.ranges.q, bodiesSize) || !within(record.ranges.r, bodiesSize)) {
      lostBytes++;
      return;
    }
  };

  const onRecord = (record: LogRecord, ref: RecordRef): void => {
    switch (record.t) {
      case 'hello':
        if (record.version > LOG_VERSION) newerVersion = true;
        store.nextId = Math.max(store.nextId, record.firstId);
        store.nextConnectionId = Math.max(store.nextConnectionId, record.firstConnectionId);
        return;
      case 'conn':
        store.connections.set(record.conn.id, record.conn);
        store.nextConnectionId = Math.max(store.nextConnectionId, record.conn.id + 1);
        return;
      case 'connu': {
        const conn = store.connections.get(record.id);
        if (conn) Object.assign(conn, record.patch, { id: record.id });
        return;
      }
      case 'start': {
        if (open.has(record.id)) return; // duplicate: ignore
        const entry = entryFromStart(record);
        open.set(record.id, entry);
        add(entry);
        return;
      }
      case 'evict':
        evictUpTo = Math.max(evictUpTo, record.upToId);
        return;
      case 'end': {
        const refs = inFlight.get(record.id);
        inFlight.delete(record.id);
        const entry = open.get(record.id);
        open.delete(record.id);
        if (!entry?.live) return;
        // Logs without the row in their end record: rebuild it from the records.
        if (!record.row && refs) applyInFlight(entry, refs);
        finishEntry(entry, record, ref);
        return;
      }
      default:
        // An in-flight record that did not look like one (odd formatting): keep its place.
        if ('id' in record && typeof record.id === 'number') onInFlight(record.id, ref);
    }
  };

  const onInFlight = (id: number, ref: RecordRef): void => {
    const refs = inFlight.get(id);
    if (refs) refs.push(ref);
    else inFlight.set(id, [ref]);
  };

  /** Parses and applies the in-flight records of one exchange, in log order. */
  const applyInFlight = (entry: ExchangeEntry, refs: RecordRef[]): void => {
    for (const ref of refs) {
      const buf = Buffer.allocUnsafe(ref[1]);
      const n = readSyncAt(recordsFd, buf, ref[0]);
      const record = parseLine(buf.toString('utf8', 0, n));
      if (!record || !entry.live) continue;
      if (record.t === 'chunk' && record.o + record.n > bodiesSize) {
        lostBytes++;
        continue;
      }
      applyRecord(entry, record, null, store.memoryLimit);
      if (record.t === 'msg') {
        const refs = entry.live.log!.refs;
        if (record.s === 'i') refs.i.push(ref);
        else refs[record.s] = ref;
      }
    }
  };

  const onExchange = (head: ExchangeHead, ref: RecordRef): void => {
    const entry = entryFromExchangeRecord(head);
    add(entry);
    finishEntry(entry, head, ref);
  };

  try {
    const result = await replayRecords(recordsPath, {
      onRecord,
      onInFlight,
      onExchange,
      onProgress: async (done, total) => {
        onProgress?.(done, total);
        await yieldToEventLoop();
      },
    });
    store.recoveryWarnings.push(...result.warnings);
    // Exchanges without an end record: rebuild what they had (the store then fails them).
    for (const [id, refs] of inFlight) {
      const entry = open.get(id);
      if (entry?.live) applyInFlight(entry, refs);
    }
    if (!sorted) all.sort((a, b) => a.id - b.id);
    let previous = 0;
    for (const entry of all) {
      // Evicted, or a duplicate id (a damaged log): the first one counts.
      if (entry.id <= evictUpTo || entry.id === previous) continue;
      previous = entry.id;
      store.entries.push(entry);
    }
    if (evictUpTo > 0) store.entries.evictUpTo(evictUpTo);
    if (newerVersion) {
      store.recoveryWarnings.push(
        'records.ndjson was written by a newer Wirelens; unknown parts were skipped',
      );
    }
    if (lostBytes > 0) {
      store.recoveryWarnings.push(
        `${lostBytes} record(s) point past the end of bodies.bin (bytes lost in a crash); those bytes are missing`,
      );
    }
    if (result.tornLength > 0) {
      saveTornTail(store.captureDir, recordsPath, result.validLength, result.tornLength);
      truncateSync(recordsPath, result.validLength);
    }
    return result.validLength;
  } finally {
    closeSync(recordsFd);
  }
}

function readSyncAt(fd: number, buf: Buffer, position: number): number {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
