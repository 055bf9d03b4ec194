/**
 * Appends to the two files of a capture log (see ./log-format.ts) in batches.
 *
 * Writes are synchronous `write(2)` calls on append-mode descriptors, made from a timer
 * (every `flushIntervalMs`) or soon after an exchange finished (right after the current
 * event-loop turn, at most once per `soonMs`; see flushSoon). Synchronous on purpose: once `flush()` returns
 * the bytes are in the OS, so a SIGKILL cannot lose them, and body bytes always reach
 * `bodies.bin` before the records that point at them. No fsync: surviving a power cut is
 * not the goal, surviving a killed process is.
 */
import { closeSync, fstatSync, openSync, writeSync, writevSync } from 'node:fs';
import path from 'node:path';
import { BODIES_FILE, RECORDS_FILE, serializeRecord, type RecordRef } from './log-format';

interface PendingRecord {
  /** A record object, or its line already serialized (without the newline). */
  record: object | string;
  onPlaced?: (ref: RecordRef) => void;
}

/** A body flush is forced once this much is waiting, so streaming bodies stay bounded. */
const MAX_PENDING_BODY_BYTES = 1 << 20;

export class LogAppender {
  private recordsFd: number;
  private bodiesFd: number;
  private pending: PendingRecord[] = [];
  private pendingBodies: Uint8Array[] = [];
  private pendingBodyBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lineBuffer = Buffer.allocUnsafe(64 * 1024);
  private immediate: NodeJS.Immediate | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = -Infinity;
  private closed = false;
  /** Incremented by each flush: lets callers know whether a pending record is still open. */
  flushCount = 0;

  constructor(
    readonly dir: string,
    /** Current sizes of the files (bytes already on disk). */
    public recordsSize: number,
    public bodiesSize: number,
    private readonly flushIntervalMs: number,
    private readonly onError: (error: Error) => void,
    private readonly onFlushed: () => void,
    /** See flushSoon(); 0 = always right after the current turn. */
    private readonly soonMs = 0,
  ) {
    this.recordsFd = openSync(path.join(dir, RECORDS_FILE), 'a', 0o600);
    this.bodiesFd = openSync(path.join(dir, BODIES_FILE), 'a', 0o600);
  }

  /**
   * Queues raw bytes and returns the offset they will have in bodies.bin, and the copy
   * made of them (the caller's buffer may be reused by the producer after the call).
   */
  appendBytes(bytes: Uint8Array): { offset: number; copy: Uint8Array } {
    const offset = this.bodiesSize + this.pendingBodyBytes;
    // allocUnsafe takes small copies from Node's shared 8 KiB pool: far fewer mallocs
    // (and less heap fragmentation) than one ArrayBuffer per chunk.
    const copy = Buffer.allocUnsafe(bytes.length);
    copy.set(bytes);
    if (copy.length === 0 || this.closed) return { offset, copy };
    this.pendingBodies.push(copy);
    this.pendingBodyBytes += copy.length;
    if (this.pendingBodyBytes >= MAX_PENDING_BODY_BYTES) this.flush();
    else this.schedule();
    return { offset, copy };
  }

  /**
   * Writes raw bytes to bodies.bin now, after any queued ones, straight from the caller's
   * buffer (no copy): for pieces nobody keeps in memory (a big body streaming through).
   * Returns their offset. The records that point at them are written later, so the order
   * "bytes before the records" holds as for queued bytes.
   */
  writeBytesNow(bytes: Uint8Array): number {
    const offset = this.bodiesSize + this.pendingBodyBytes;
    if (bytes.length === 0 || this.closed) return offset;
    const pieces = this.pendingBodies;
    pieces.push(bytes);
    this.pendingBodies = [];
    this.pendingBodyBytes = 0;
    try {
      this.bodiesSize += writeAllv(this.bodiesFd, pieces);
    } catch (error) {
      this.writeFailed(error as Error);
    }
    return offset;
  }

  /**
   * Queues one record. `onPlaced` gets its place in records.ndjson while the batch is
   * serialized (so a later record of the same batch, built lazily with `toJSON`, can point
   * at it); the batch is written before `flush()` returns, then `onFlushed` runs.
   */
  append(record: object | string, onPlaced?: (ref: RecordRef) => void): void {
    if (this.closed) return;
    this.pending.push({ record, onPlaced });
    this.schedule();
  }

  /** Ask for a flush right after the current event-loop turn (batches a burst of finishes). */
  /**
   * Ask for a flush soon (an exchange finished): right after the current event-loop turn,
   * or, when the last write was less than `soonMs` ago, `soonMs` after it — so a busy
   * proxy writes at most once per `soonMs` instead of once per turn (two `write(2)` calls
   * per flush were most of the cost of recording a small exchange).
   */
  flushSoon(): void {
    if (this.closed || this.immediate || this.soonTimer) return;
    const since = performance.now() - this.lastFlushAt;
    if (since < this.soonMs) {
      this.soonTimer = setTimeout(() => {
        this.soonTimer = null;
        this.flush();
      }, this.soonMs - since);
      this.soonTimer.unref(); // close() flushes
      return;
    }
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.flush();
    });
  }

  get hasPending(): boolean {
    return this.pending.length > 0 || this.pendingBodyBytes > 0;
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.soonTimer) {
      clearTimeout(this.soonTimer);
      this.soonTimer = null;
    }
    if (this.closed || !this.hasPending) return;
    this.lastFlushAt = performance.now();
    this.flushCount++;
    const bodies = this.pendingBodies;
    const records = this.pending;
    this.pendingBodies = [];
    this.pendingBodyBytes = 0;
    this.pending = [];
    try {
      if (bodies.length > 0) {
        this.bodiesSize += writeAllv(this.bodiesFd, bodies);
      }
      if (records.length === 0) return;
      // Lines are encoded straight into one buffer: `write` returns each line's UTF-8
      // length, which is its place in the file, without a separate byteLength pass.
      let buf = this.lineBuffer;
      let used = 0;
      for (const item of records) {
        const record = item.record;
        const line = (typeof record === 'string' ? record : serializeRecord(record)) + '\n';
        if (buf.length - used < line.length * 3) {
          const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, used + line.length * 3));
          buf.copy(bigger, 0, 0, used);
          buf = bigger;
        }
        const length = buf.write(line, used, 'utf8');
        item.onPlaced?.([this.recordsSize + used, length - 1]);
        used += length;
      }
      // Keep a modest buffer for the next batch; a rare huge one is left to the GC.
      if (buf.length <= 4 << 20) this.lineBuffer = buf;
      this.recordsSize += writeAll(this.recordsFd, buf.subarray(0, used));
      this.onFlushed();
    } catch (error) {
      this.writeFailed(error as Error);
    }
  }

  /**
   * Disk full, file removed under us…: report, do not crash the proxy mid-exchange. A
   * write may have been partial: take the real sizes so later offsets stay true.
   */
  private writeFailed(error: Error): void {
    try {
      this.bodiesSize = fstatSync(this.bodiesFd).size;
      this.recordsSize = fstatSync(this.recordsFd).size;
    } catch {
      // The descriptors themselves failed: later writes will report again.
    }
    this.onError(error);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    this.closed = true;
    closeSync(this.recordsFd);
    closeSync(this.bodiesFd);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushIntervalMs);
    // A pending flush must not keep a CLI process alive on its own; close() flushes.
    this.timer.unref();
  }
}

/** Writes the pieces with one `writev` (no concatenation copy); finishes a short write. */
function writeAllv(fd: number, pieces: Uint8Array[]): number {
  if (pieces.length === 1) return writeAll(fd, pieces[0]);
  let total = 0;
  for (const piece of pieces) total += piece.length;
  // Linux takes at most 1024 iovecs per call (IOV_MAX); batches stay far below in practice.
  const done = pieces.length <= 1024 ? writevSync(fd, pieces) : 0;
  if (done === total) return total;
  // Short or skipped write: the rest, from where it stopped, as one buffer.
  const rest = Buffer.concat(pieces).subarray(done);
  return done + writeAll(fd, rest);
}

function writeAll(fd: number, buf: Uint8Array): number {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
  return done;
}
