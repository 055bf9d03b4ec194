/**
 * Reads records.ndjson back, line by line, without loading the whole file as one string
 * (a long capture is hundreds of MB). A last line without its newline is a record torn by
 * a kill mid-write: it is reported, never parsed; a garbled line in the middle is skipped
 * with a warning too. Nothing here throws on bad content.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { KNOWN_RECORD_TYPES, type LogRecord, type RecordRef } from './log-format';

export interface ReplayResult {
  warnings: string[];
  /** Byte length of the well-formed prefix (everything up to the last newline). */
  validLength: number;
  /** Length of the torn tail after `validLength` (0 when the file ends cleanly). */
  tornLength: number;
}

const CHUNK = 8 << 20;
const NEWLINE = 0x0a;

export function replayRecords(
  filePath: string,
  onRecord: (record: LogRecord, ref: RecordRef) => void,
): ReplayResult {
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
          const record = parseLine(buf.toString('utf8', start, nl));
          if (record === null)
            warnings.push(
              `records.ndjson line ${lineNo} (byte ${ref[0]}) is not a valid record; skipped`,
            );
          else if (KNOWN_RECORD_TYPES.has(record.t)) onRecord(record, ref);
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

function parseLine(text: string): LogRecord | null {
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
