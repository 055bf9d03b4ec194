/**
 * `bodies.bin` of a capture log (./log-format.ts), written off the event loop: body bytes
 * get their offset at once, and are written by libuv's thread pool (`fs.writev` at that
 * position), one write at a time, the pieces queued meanwhile going out together in the
 * next one. The proxy's event loop then only hands over references: copying a big body
 * into the page cache (~1–2 ms per MiB on the benchmark VM) happens on another thread.
 *
 * `written` says how far everything is in the OS; the log's records wait for it (bytes
 * before the records that point at them, so a killed process never leaves a record
 * pointing at bytes that are not there). `writeNow()` puts everything in the OS before it
 * returns (readers, close, an explicit flush): it writes the queued pieces and again the
 * ones a pool write may still be busy with — the same bytes at the same place, so the two
 * writes cannot disagree.
 *
 * Writes are positional, not `O_APPEND`: a synchronous write of queued pieces may land
 * while a pool write of earlier ones is still running.
 */
import { closeSync, constants, openSync, writev, writeSync, writevSync } from 'node:fs';

/** Queued bytes start a pool write at once beyond this (smaller ones wait for a flush). */
const START_BYTES = 64 * 1024;
/**
 * Beyond this many bytes not yet written the file is `behind`: producers that can wait
 * (the proxy pauses the socket it reads) do, until `whenCaughtUp` calls back.
 */
const BEHIND_BYTES = 4 * 1024 * 1024;
/**
 * Beyond this, bytes are written synchronously, in the event loop: a producer that does
 * not wait then slows everything down instead of filling memory.
 */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;
/** Linux takes at most 1024 iovecs per writev (IOV_MAX). */
const MAX_PIECES = 1024;

interface Run {
  at: number;
  pieces: Uint8Array[];
  bytes: number;
}

export class BodyFile {
  private readonly fd: number;
  /** Offset of the next byte handed over (the file's size once everything is written). */
  size: number;
  /** Every byte before this offset is in the OS. */
  written: number;
  private queue: Run;
  private inFlight: Run | null = null;
  /** End of bytes written synchronously past the pool write in flight. */
  private writtenPastInFlight = 0;
  private closing = false;
  private caughtUp: Array<() => void> = [];
  private markClosed!: () => void;
  /** Resolves once the descriptor is closed (see close()). */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(
    file: string,
    size: number,
    /** `written` moved forward (a pool write ended). */
    private readonly onWritten: () => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.fd = openSync(file, constants.O_WRONLY | constants.O_CREAT, 0o600);
    this.size = size;
    this.written = size;
    this.queue = { at: size, pieces: [], bytes: 0 };
  }

  /**
   * Gives `bytes` their offset in the file and queues them, without a copy: the caller
   * must not change them afterwards (see ExchangeWriter.appendRequest).
   */
  add(bytes: Uint8Array): number {
    const at = this.size;
    if (bytes.length === 0 || this.closing) return at;
    const queue = this.queue;
    queue.pieces.push(bytes);
    queue.bytes += bytes.length;
    this.size += bytes.length;
    if (this.held > MAX_UNWRITTEN_BYTES) this.writeQueueNow();
    else if (queue.bytes >= START_BYTES || queue.pieces.length >= MAX_PIECES) this.start();
    return at;
  }

  /** Starts a pool write of what is queued, unless one is running (it starts the next). */
  start(): void {
    if (this.inFlight !== null || this.queue.bytes === 0 || this.closing) return;
    const run = this.takeQueue();
    this.inFlight = run;
    const pieces = run.pieces.length <= MAX_PIECES ? run.pieces : [Buffer.concat(run.pieces)];
    writev(this.fd, pieces, run.at, (error, done) => this.ended(run, error, done));
  }

  /** Everything handed over is in the OS when this returns. */
  writeNow(): void {
    const run = this.inFlight;
    if (run !== null && this.writtenPastInFlight < run.at + run.bytes) {
      this.writeSyncAt(run);
      this.writtenPastInFlight = run.at + run.bytes;
    }
    this.writeQueueNow();
    this.written = this.size;
    this.callCaughtUp();
  }

  get pending(): boolean {
    return this.written < this.size;
  }

  /** Bytes kept in memory until a write takes them (queued, or in a pool write). */
  get held(): number {
    return this.queue.bytes + (this.inFlight === null ? 0 : this.inFlight.bytes);
  }

  /** Far behind: see BEHIND_BYTES. */
  get behind(): boolean {
    return this.held > BEHIND_BYTES;
  }

  /** Calls back once the file is no longer behind (at once if it is not). */
  whenCaughtUp(callback: () => void): void {
    if (this.behind && !this.closing) this.caughtUp.push(callback);
    else callback();
  }

  /**
   * Writes everything, then closes the file — after a pool write still running, if any:
   * the promise says when (moving the file before that fails on Windows).
   */
  close(): Promise<void> {
    if (this.closing) return this.closed;
    this.writeNow();
    this.closing = true;
    if (this.inFlight === null) this.closeFd();
    this.callCaughtUp();
    return this.closed;
  }

  private closeFd(): void {
    closeSync(this.fd);
    this.markClosed();
  }

  private callCaughtUp(): void {
    if (this.caughtUp.length === 0) return;
    const callbacks = this.caughtUp;
    this.caughtUp = [];
    for (const callback of callbacks) callback();
  }

  private ended(run: Run, error: Error | null, done: number): void {
    if (error === null && done < run.bytes && !this.closing) {
      // A short write (disk nearly full…): the rest, from where it stopped.
      const rest = Buffer.concat(run.pieces).subarray(done);
      error = this.tryWrite(() => writeAllAt(this.fd, rest, run.at + done));
    }
    this.inFlight = null;
    if (this.closing) {
      this.closeFd();
      return;
    }
    if (error !== null) this.onError(error);
    // Also on error: the records must not wait forever; the failure was reported.
    const end = Math.max(run.at + run.bytes, this.writtenPastInFlight);
    if (end > this.written) this.written = end;
    this.writtenPastInFlight = 0;
    this.onWritten();
    this.start();
    if (!this.behind) this.callCaughtUp();
  }

  private writeQueueNow(): void {
    if (this.queue.bytes === 0) return;
    const run = this.takeQueue();
    this.writeSyncAt(run);
    if (this.inFlight === null) this.written = run.at + run.bytes;
    else this.writtenPastInFlight = run.at + run.bytes;
  }

  private writeSyncAt(run: Run): void {
    const error = this.tryWrite(() => writevAllAt(this.fd, run.pieces, run.at));
    if (error !== null) this.onError(error);
  }

  private tryWrite(write: () => void): Error | null {
    try {
      write();
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  private takeQueue(): Run {
    const run = this.queue;
    this.queue = { at: run.at + run.bytes, pieces: [], bytes: 0 };
    return run;
  }
}

/** One `writev` at `at` (no concatenation copy); a short write is finished from a copy. */
function writevAllAt(fd: number, pieces: Uint8Array[], at: number): void {
  if (pieces.length === 1) return writeAllAt(fd, pieces[0], at);
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const done = pieces.length <= MAX_PIECES ? writevSync(fd, pieces, at) : 0;
  if (done < total) writeAllAt(fd, Buffer.concat(pieces).subarray(done), at + done);
}

function writeAllAt(fd: number, buf: Uint8Array, at: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at + done);
}
