/**
 * Appends to the two files of a capture log (see ./log-format.ts) in batches.
 *
 * Body bytes go to ./body-file.ts, which writes them from libuv's thread pool. Records are
 * batched: a batch is cut by a timer (every `flushIntervalMs`) or soon after an exchange
 * finished (right after the current event-loop turn, at most once per `soonMs`; see
 * flushSoon), and written with one synchronous `write(2)` once the body bytes queued
 * before it are in the OS — so a record never points at bytes that are not there, and a
 * SIGKILL loses only what was still queued (exchanges that just finished, as in flight).
 * `flush()` writes everything before it returns. No fsync: surviving a power cut is not
 * the goal, surviving a killed process is.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BodyFile } from './body-file';
import { BODIES_FILE, RECORDS_FILE, serializeRecord, type RecordRef } from './log-format';

interface PendingRecord {
  /** A record object, or its line already serialized as UTF-8 (without the newline). */
  record: object | Uint8Array;
  onPlaced?: (ref: RecordRef) => void;
}

export class LogAppender {
  private recordsFd: number;
  private bodies: BodyFile;
  private pending: PendingRecord[] = [];
  /** Records cut by a flush, waiting for the body bytes before `bodiesEnd` to be written. */
  private waiting: Array<{ records: PendingRecord[]; bodiesEnd: number }> = [];
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
    bodiesSize: number,
    private readonly flushIntervalMs: number,
    private readonly onError: (error: Error) => void,
    private readonly onFlushed: () => void,
    /** See flushSoon(); 0 = always right after the current turn. */
    private readonly soonMs = 0,
  ) {
    this.recordsFd = openSync(path.join(dir, RECORDS_FILE), 'a', 0o600);
    this.bodies = new BodyFile(
      path.join(dir, BODIES_FILE),
      bodiesSize,
      () => this.writeWaiting(),
      (error) => this.bodiesFailed(error),
    );
  }

  /** Body bytes arrive faster than the disk takes them (see BodyFile.behind). */
  get bodiesBehind(): boolean {
    return this.bodies.behind;
  }

  whenBodiesCaughtUp(callback: () => void): void {
    this.bodies.whenCaughtUp(callback);
  }

  /** Offset of the next body byte (the size bodies.bin will have). */
  get bodiesSize(): number {
    return this.bodies.size;
  }

  /**
   * Queues a copy of raw bytes (the exchange keeps that copy in memory) and returns the
   * offset they will have in bodies.bin, and the copy.
   */
  appendBytes(bytes: Uint8Array): { offset: number; copy: Uint8Array } {
    // allocUnsafe takes small copies from Node's shared 8 KiB pool: far fewer mallocs
    // (and less heap fragmentation) than one ArrayBuffer per chunk.
    const copy = Buffer.allocUnsafe(bytes.length);
    copy.set(bytes);
    if (copy.length === 0 || this.closed) return { offset: this.bodies.size, copy };
    const offset = this.bodies.add(copy);
    this.schedule();
    return { offset, copy };
  }

  /**
   * Queues raw bytes for bodies.bin without a copy, for pieces nobody keeps in memory (a
   * big body streaming through), and starts writing them: the caller must not change
   * `bytes` afterwards. Returns their offset. The records that point at them are written
   * after them, as for copied bytes.
   */
  addUncopied(bytes: Uint8Array): number {
    if (bytes.length === 0 || this.closed) return this.bodies.size;
    const offset = this.bodies.add(bytes);
    this.bodies.start();
    return offset;
  }

  /**
   * Queues one record. `onPlaced` gets its place in records.ndjson while the batch is
   * serialized (so a later record of the same batch, built lazily with `toJSON`, can point
   * at it); the batch is written after the body bytes queued before it, then `onFlushed`
   * runs.
   */
  append(record: object | Uint8Array, onPlaced?: (ref: RecordRef) => void): void {
    if (this.closed) return;
    this.pending.push({ record, onPlaced });
    this.schedule();
  }

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
        this.flushInBackground();
      }, this.soonMs - since);
      this.soonTimer.unref(); // close() flushes
      return;
    }
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.flushInBackground();
    });
  }

  /** Writes everything queued before this returns: body bytes, then records. */
  flush(): void {
    this.cut();
    if (this.closed) return;
    this.bodies.writeNow();
    this.writeWaiting();
  }

  /**
   * Starts writing the queued body bytes on libuv's pool; the records queued so far are
   * written once those bytes are (writeWaiting). The timer's and flushSoon's flush.
   */
  private flushInBackground(): void {
    this.cut();
    if (this.closed) return;
    this.bodies.start();
    this.writeWaiting();
  }

  /** Ends the current batch of records: later records are not merged into it. */
  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.soonTimer) {
      clearTimeout(this.soonTimer);
      this.soonTimer = null;
    }
    if (this.closed || this.pending.length === 0) return;
    this.lastFlushAt = performance.now();
    this.flushCount++;
    this.waiting.push({ records: this.pending, bodiesEnd: this.bodies.size });
    this.pending = [];
  }

  /** Writes the waiting batches whose body bytes are all in the OS, in order. */
  private writeWaiting(): void {
    const waiting = this.waiting;
    let n = 0;
    while (n < waiting.length && waiting[n].bodiesEnd <= this.bodies.written) n++;
    if (n === 0) return;
    const ready = waiting.splice(0, n);
    try {
      this.writeRecords(ready.length === 1 ? ready[0].records : ready.flatMap((b) => b.records));
      this.onFlushed();
    } catch (error) {
      this.writeFailed(error as Error);
    }
  }

  private writeRecords(records: PendingRecord[]): void {
    // Lines go straight into one buffer: a record object's text is encoded there (`write`
    // returns its UTF-8 length, its place in the file, without a byteLength pass), a line
    // already in bytes (the `x` record, ./json-bytes.ts) is copied.
    let buf = this.lineBuffer;
    let used = 0;
    for (const item of records) {
      const record = item.record;
      const bytes = record instanceof Uint8Array ? record : null;
      const line = bytes ? '' : serializeRecord(record) + '\n';
      const most = bytes ? bytes.length + 1 : line.length * 3;
      if (buf.length - used < most) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, used + most));
        buf.copy(bigger, 0, 0, used);
        buf = bigger;
      }
      let length: number;
      if (bytes) {
        buf.set(bytes, used);
        buf[used + bytes.length] = 0x0a;
        length = bytes.length + 1;
      } else length = buf.write(line, used, 'utf8');
      item.onPlaced?.([this.recordsSize + used, length - 1]);
      used += length;
    }
    // Keep a modest buffer for the next batch; a rare huge one is left to the GC.
    if (buf.length <= 4 << 20) this.lineBuffer = buf;
    this.recordsSize += writeAll(this.recordsFd, buf.subarray(0, used));
  }

  /**
   * Body bytes could not be written: the records waiting for them are dropped (an
   * exchange whose bytes are not on disk is not logged as complete), the failure reported.
   */
  private bodiesFailed(error: Error): void {
    this.waiting = [];
    this.onError(error);
  }

  /**
   * Disk full, file removed under us…: report, do not crash the proxy mid-exchange. A
   * write may have been partial: take the real size so later offsets stay true.
   */
  private writeFailed(error: Error): void {
    try {
      this.recordsSize = fstatSync(this.recordsFd).size;
    } catch {
      // The descriptor itself failed: later writes will report again.
    }
    this.onError(error);
  }

  /** Writes everything and closes; the promise resolves once no write is left running. */
  close(): Promise<void> {
    if (this.closed) return this.bodies.closed;
    this.flush();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    this.closed = true;
    closeSync(this.recordsFd);
    return this.bodies.close();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushInBackground();
    }, this.flushIntervalMs);
    // A pending flush must not keep a CLI process alive on its own; close() flushes.
    this.timer.unref();
  }
}

function writeAll(fd: number, buf: Uint8Array): number {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
  return done;
}
