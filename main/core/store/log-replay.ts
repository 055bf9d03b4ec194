/**
 * Reads records.ndjson back, line by line, without loading the whole file as one string
 * (a long capture is hundreds of MB). A last line without its newline is a record torn by
 * a kill mid-write: it is reported, never parsed; a garbled line in the middle is skipped
 * with a warning too. Nothing here throws on bad content.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import {
  IN_FLIGHT_RECORD_TYPES,
  KNOWN_RECORD_TYPES,
  type LogRecord,
  type RecordRef,
} from './log-format';

export interface ReplayResult {
  warnings: string[];
  /** Byte length of the well-formed prefix (everything up to the last newline). */
  validLength: number;
  /** Length of the torn tail after `validLength` (0 when the file ends cleanly). */
  tornLength: number;
}

const CHUNK = 8 << 20;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;

export interface ReplayHandlers {
  onRecord(record: LogRecord, ref: RecordRef): void;
  /**
   * An in-flight record (IN_FLIGHT_RECORD_TYPES) of exchange `id`, not parsed: most
   * exchanges have an `end` record that makes them unnecessary. Parse with `readRecord`.
   */
  onInFlight(id: number, ref: RecordRef): void;
}

/** `{"t":"chunk","id":12,` — how the writer starts every per-exchange record. */
const PREFIX = /^\{"t":"([a-z]+)","id":(\d+),/;

export function replayRecords(filePath: string, handlers: ReplayHandlers): ReplayResult {
  const warnings: string[] = [];
  const fd = openSync(filePath, 'r');
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0; // file offset of carry[0]
  let fileOffset = 0;
  let lineNo = 0;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, fileOffset);
      if (n === 0) break;
      fileOffset += n;
      const buf =
        carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NEWLINE, start);
        if (nl < 0) break;
        lineNo++;
        if (nl > start) {
          const ref: RecordRef = [carryOffset + start, nl - start];
          const prefix = PREFIX.exec(buf.toString('latin1', start, Math.min(nl, start + 40)));
          if (prefix && IN_FLIGHT_RECORD_TYPES.has(prefix[1]) && buf[nl - 1] === CLOSE_BRACE) {
            handlers.onInFlight(Number(prefix[2]), ref);
          } else {
            const record = parseLine(buf.toString('utf8', start, nl));
            if (record === null) {
              warnings.push(
                `records.ndjson line ${lineNo} (byte ${ref[0]}) is not a valid record; skipped`,
              );
            } else if (KNOWN_RECORD_TYPES.has(record.t)) {
              handlers.onRecord(record, ref);
            }
          }
        }
        start = nl + 1;
      }
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(buf.subarray(start));
      carryOffset += start;
    }
  } finally {
    closeSync(fd);
  }
  if (carry.length > 0) {
    warnings.push(
      `records.ndjson ends with a torn record (${carry.length} bytes at byte ${carryOffset}, ` +
        'probably cut by a crash); skipped',
    );
  }
  return { warnings, validLength: carryOffset, tornLength: carry.length };
}

export function parseLine(text: string): LogRecord | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && typeof (value as { t?: unknown }).t === 'string') {
      return value as LogRecord;
    }
    return null;
  } catch {
    return null;
  }
}
