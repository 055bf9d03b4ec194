/**
 * Rebuilds the in-memory store from records.ndjson on open. Damage is reported in
 * `recoveryWarnings`, never thrown: a torn last record (kill mid-write) is moved aside to
 * `archive/torn-<time>.ndjson` and cut off so new records start on a clean line.
 *
 * Speed: a finished exchange is rebuilt from its `start` and `end` records alone (the end
 * record carries the list row). Its in-flight records (chunks, messages, marks…) are only
 * located, not parsed — unless it has no `end` (interrupted), in which case they are
 * parsed and applied through the same `applyRecord` as when they were first recorded.
 */
import { closeSync, openSync, readSync, truncateSync } from 'node:fs';
import type { ConnectionRecord } from '../../../shared/model/exchange';
import { applyEnd, applyRecord, entryFromStart, type ExchangeEntry } from './exchange-entry';
import type { ByteRanges, LogRecord, RecordRef } from './log-format';
import { LOG_VERSION } from './log-format';
import { saveTornTail } from './log-archive';
import { parseLine, replayRecords } from './log-replay';
import { readRanges } from './store-reads';

/** The parts of the store that loading fills in. */
export interface LoadTarget {
  readonly recoveryWarnings: string[];
  readonly memoryLimit: number;
  readonly captureDir: string;
  entries: ExchangeEntry[];
  connections: Map<number, ConnectionRecord>;
  nextId: number;
  nextConnectionId: number;
  find(id: number): ExchangeEntry | undefined;
  evictUpTo(upTo: number): number;
}

type EndRecord = Extract<LogRecord, { t: 'end' }>;

const within = (ranges: ByteRanges, size: number): boolean =>
  ranges.every(([offset, length]) => offset + length <= size);

/** Replays the log into `store`; returns the length of records.ndjson to append after. */
export function loadLog(
  store: LoadTarget,
  recordsPath: string,
  bodiesPath: string,
  bodiesSize: number,
): number {
  const bodiesFd = openSync(bodiesPath, 'a+');
  const recordsFd = openSync(recordsPath, 'r');
  const inFlight = new Map<number, RecordRef[]>();
  let lostBytes = 0;
  let newerVersion = false;

  const finishEntry = (entry: ExchangeEntry, record: EndRecord, ref: RecordRef): void => {
    applyEnd(entry, record);
    entry.endOffset = ref[0];
    entry.endLength = ref[1];
    entry.live = null;
    if (!within(record.ranges.q, bodiesSize) || !within(record.ranges.r, bodiesSize)) {
      lostBytes++;
      return;
    }
    const total = entry.requestBytes + entry.responseBytes;
    if (total === 0 || total > store.memoryLimit) return;
    const raw = new Uint8Array(total);
    raw.set(readRanges(bodiesFd, record.ranges.q, 0, entry.requestBytes), 0);
    raw.set(readRanges(bodiesFd, record.ranges.r, 0, entry.responseBytes), entry.requestBytes);
    entry.raw = raw;
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
      case 'start':
        if (record.id < store.nextId) return; // duplicate or out of order: ignore
        store.entries.push(entryFromStart(record));
        store.nextId = record.id + 1;
        return;
      case 'evict':
        store.evictUpTo(record.upToId);
        return;
      case 'end': {
        const refs = inFlight.get(record.id);
        inFlight.delete(record.id);
        const entry = store.find(record.id);
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
        if (record.s === 'i') entry.live.refs.i.push(ref);
        else entry.live.refs[record.s] = ref;
      }
    }
  };

  try {
    const result = replayRecords(recordsPath, { onRecord, onInFlight });
    store.recoveryWarnings.push(...result.warnings);
    // Exchanges without an end record: rebuild what they had (the store then fails them).
    for (const [id, refs] of inFlight) {
      const entry = store.find(id);
      if (entry?.live) applyInFlight(entry, refs);
    }
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
    closeSync(bodiesFd);
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
