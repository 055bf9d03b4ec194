/**
 * Reads records.ndjson back, line by line, without loading the whole file as one string
 * (a long capture is hundreds of MB). A last line without its newline is a record torn by
 * a kill mid-write: it is reported, never parsed; a garbled line in the middle is skipped
 * with a warning too. Nothing here throws on bad content.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ExchangeHead } from './entry-records';
import {
  EXCHANGE_MESSAGES_KEY,
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
  /** An `x` record (a whole finished exchange), parsed without its messages. */
  onExchange(head: ExchangeHead, ref: RecordRef): void;
  /** After each piece of the file: bytes read so far, of the total. May pause the replay. */
  onProgress?(done: number, total: number): Promise<void> | void;
}

/** `{"t":"` — how the writer starts every record; per-exchange ones continue `chunk","id":`. */
const TYPE_AT = 6;
const QUOTE = 0x22;
const X = 0x78;
const ID_KEY = Buffer.from('","id":');
const MESSAGES_KEY = Buffer.from(EXCHANGE_MESSAGES_KEY);
const RECORD_START = Buffer.from('{"t":"');

/**
 * The type and id of a line written as `{"t":"<type>","id":<digits>,`, read from the bytes
 * (no string made); null when the line does not start that way.
 */
function prefixOf(buf: Buffer, start: number, end: number): { type: string; id: number } | null {
  if (buf.compare(RECORD_START, 0, TYPE_AT, start, start + TYPE_AT) !== 0) return null;
  let at = start + TYPE_AT;
  const typeStart = at;
  while (at < end && at - typeStart < 8 && buf[at] >= 0x61 && buf[at] <= 0x7a) at++;
  if (at === typeStart || buf[at] !== QUOTE) return null;
  const typeEnd = at;
  if (buf.compare(ID_KEY, 0, ID_KEY.length, at, at + ID_KEY.length) !== 0) return null;
  at += ID_KEY.length;
  let id = 0;
  const digits = at;
  while (at < end && buf[at] >= 0x30 && buf[at] <= 0x39 && at - digits < 15) {
    id = id * 10 + (buf[at] - 0x30);
    at++;
  }
  if (at === digits || buf[at] !== 0x2c) return null;
  return { type: buf.toString('latin1', typeStart, typeEnd), id };
}

/** The summary part of an `x` line (`{"t":"x",…` up to its messages), or null. */
function exchangeHeadOf(buf: Buffer, start: number, end: number): ExchangeHead | null {
  if (buf[start + TYPE_AT] !== X || buf[start + TYPE_AT + 1] !== QUOTE) return null;
  if (buf.compare(RECORD_START, 0, TYPE_AT, start, start + TYPE_AT) !== 0) return null;
  const cut = buf.indexOf(MESSAGES_KEY, start);
  if (cut < 0 || cut >= end || buf[end - 1] !== CLOSE_BRACE) return null;
  try {
    return JSON.parse(buf.toString('utf8', start, cut) + '}') as ExchangeHead;
  } catch {
    return null;
  }
}

export async function replayRecords(
  filePath: string,
  handlers: ReplayHandlers,
): Promise<ReplayResult> {
  const warnings: string[] = [];
  const fd = openSync(filePath, 'r');
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0; // file offset of carry[0]
  let fileOffset = 0;
  let lineNo = 0;
  try {
    const total = fstatSync(fd).size;
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
          const head = exchangeHeadOf(buf, start, nl);
          const prefix = head ? null : prefixOf(buf, start, nl);
          if (head) {
            handlers.onExchange(head, ref);
          } else if (
            prefix &&
            IN_FLIGHT_RECORD_TYPES.has(prefix.type) &&
            buf[nl - 1] === CLOSE_BRACE
          ) {
            handlers.onInFlight(prefix.id, ref);
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
      await handlers.onProgress?.(fileOffset, total);
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
