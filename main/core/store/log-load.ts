/**
 * Rebuilds the in-memory store from records.ndjson on open. Every record goes through the
 * same `applyRecord` as when it was first recorded. Damage is reported in
 * `recoveryWarnings`, never thrown: a torn last record (kill mid-write) is moved aside to
 * `archive/torn-<time>.ndjson` and cut off so new records start on a clean line.
 */
import { closeSync, openSync, truncateSync } from 'node:fs';
import type { ConnectionRecord } from '../../../shared/model/exchange';
import { applyEnd, applyRecord, entryFromStart, type ExchangeEntry } from './exchange-entry';
import type { LogRecord, RecordRef } from './log-format';
import { LOG_VERSION } from './log-format';
import { saveTornTail } from './log-archive';
import { replayRecords } from './log-replay';
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

/** Replays the log into `store`; returns the length of records.ndjson to append after. */
export function loadLog(
  store: LoadTarget,
  recordsPath: string,
  bodiesPath: string,
  bodiesSize: number,
): number {
  const bodiesFd = openSync(bodiesPath, 'a+');
  let beyondEnd = 0;
  let newerVersion = false;
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
        if (record.id < store.nextId) return; // duplicate or out of order: ignore
        store.entries.push(entryFromStart(record));
        store.nextId = record.id + 1;
        return;
      }
      case 'evict':
        store.evictUpTo(record.upToId);
        return;
      default:
        break;
    }
    const entry = store.find(record.id);
    if (!entry || !entry.live) return;
    if (record.t === 'chunk' && record.o + record.n > bodiesSize) {
      beyondEnd++;
      return;
    }
    if (record.t === 'end') {
      applyEnd(entry, record);
      entry.endOffset = ref[0];
      entry.endLength = ref[1];
      const total = entry.requestBytes + entry.responseBytes;
      if (total > 0 && total <= store.memoryLimit) {
        try {
          const q = readRanges(bodiesFd, record.ranges.q, 0, entry.requestBytes);
          const r = readRanges(bodiesFd, record.ranges.r, 0, entry.responseBytes);
          const raw = new Uint8Array(total);
          raw.set(q, 0);
          raw.set(r, q.length);
          entry.raw = raw;
        } catch {
          // Left on disk; reads will report the damage for this exchange only.
        }
      }
      entry.live = null;
      return;
    }
    applyRecord(entry, record, null, store.memoryLimit);
    if (record.t === 'msg') {
      if (record.s === 'i') entry.live.refs.i.push(ref);
      else entry.live.refs[record.s] = ref;
    }
  };
  try {
    const result = replayRecords(recordsPath, onRecord);
    store.recoveryWarnings.push(...result.warnings);
    if (newerVersion) {
      store.recoveryWarnings.push(
        'records.ndjson was written by a newer Wirelens; unknown parts were skipped',
      );
    }
    if (beyondEnd > 0) {
      store.recoveryWarnings.push(
        `${beyondEnd} body chunk record(s) point past the end of bodies.bin (bytes lost in a crash); skipped`,
      );
    }
    if (result.tornLength > 0) {
      saveTornTail(store.captureDir, recordsPath, result.validLength, result.tornLength);
      truncateSync(recordsPath, result.validLength);
    }
    return result.validLength;
  } finally {
    closeSync(bodiesFd);
  }
}
