/**
 * Reading heads from pushed chunks: in place when a head is inside one chunk (the usual
 * case), otherwise gathered across pushes — resuming the parse where the first attempt
 * stopped — and parsed when its empty line arrives.
 */
import type { ParseMode, ParsedHead } from './parser-types';
import { CR, LF } from './token-tables';
import { IssueSink, ParseFailure } from './parse-issues';
import { FieldScan } from './field-lines';
import {
  finishHead,
  parseHead,
  rebaseHead,
  startHead,
  type HeadContext,
  type HeadProgress,
} from './head-parser';

export class HeadReader {
  private readonly gathered: HeadBuffer;
  private progress: HeadProgress | null = null;
  private readonly scan = new FieldScan();

  constructor(
    private readonly mode: ParseMode,
    private readonly maxHead: number,
  ) {
    this.gathered = new HeadBuffer(maxHead);
  }

  /** Bytes of an unfinished head gathered so far (0 between heads). */
  get pendingBytes(): number {
    return this.gathered.length;
  }

  reset(): void {
    this.gathered.clear();
    this.progress = null;
  }

  /**
   * A head starting at `buf[start]` with nothing gathered yet. Returns the head (its
   * headLength says how much it used) or null when all of `buf` was gathered.
   */
  readInPlace(buf: Uint8Array, start: number, ctx: HeadContext): ParsedHead | null {
    const limit = Math.min(buf.length, start + this.maxHead);
    let progress: HeadProgress | null = null;
    try {
      progress = startHead(buf, start, limit, ctx, new IssueSink(this.mode));
      if (progress !== null) {
        this.scan.reset();
        const head = finishHead(buf, start, limit, ctx, progress, this.scan);
        if (head !== null) return head;
      }
    } catch (e) {
      // A violation only counts once the head is complete, as in a byte-wise feed; the
      // gathered head is then parsed again from its start.
      if (!(e instanceof ParseFailure) || findHeadEnd(buf, start, limit) >= 0) throw e;
      progress = null;
    }
    if (buf.length - start >= this.maxHead) this.tooLarge();
    this.gathered.begin(buf, start);
    // Keep what was parsed: the gathered bytes start where `start` was.
    if (progress !== null) rebaseHead(progress, start, this.scan);
    this.progress = progress;
    return null;
  }

  /** More bytes for a gathered head: the head and how many bytes of `buf` it used. */
  readMore(
    buf: Uint8Array,
    start: number,
    ctx: HeadContext,
  ): { head: ParsedHead | null; used: number } {
    const g = this.gathered;
    const before = g.length;
    const { end, taken } = g.add(buf, start);
    if (end < 0) {
      if (g.full) this.tooLarge();
      return { head: null, used: taken };
    }
    const progress = this.progress;
    const head =
      progress === null
        ? parseHead(g.bytes, 0, end, ctx, new IssueSink(this.mode), this.scan)
        : finishHead(g.bytes, 0, end, ctx, progress, this.scan);
    if (head === null) throw new Error('HeadReader: head end found but not parsed');
    this.reset();
    return { head, used: end - before };
  }

  private tooLarge(): never {
    throw new ParseFailure({
      code: 'HEAD_TOO_LARGE',
      message: `head larger than ${this.maxHead} bytes`,
      offset: this.maxHead,
    });
  }
}

/** The bytes of one head, gathered across pushes. */
class HeadBuffer {
  private buf = new Uint8Array(0);
  /** Bytes gathered so far. */
  length = 0;
  /** Start of the line the last gathered bytes belong to. */
  private lineStart = 0;

  constructor(private readonly max: number) {}

  /** Starts a head with `src[from..)` (whose own scan found no end in it). */
  begin(src: Uint8Array, from: number): void {
    this.length = 0;
    this.append(src, from, src.length);
    const last = src.lastIndexOf(LF);
    this.lineStart = last >= from ? last + 1 - from : 0;
  }

  /**
   * Adds up to `max - length` bytes of `src[from..)`; returns where the head ends in the
   * gathered bytes (after its empty line), or -1, and how many bytes were taken.
   */
  add(src: Uint8Array, from: number): { end: number; taken: number } {
    const before = this.length;
    const taken = Math.min(src.length - from, this.max - before);
    this.append(src, from, from + taken);
    // A view that ends at the gathered bytes, so indexOf never scans stale capacity.
    const h = this.bytes;
    let ls = this.lineStart;
    for (let k = h.indexOf(LF, before); k >= 0; k = h.indexOf(LF, k + 1)) {
      if (k === ls || (k === ls + 1 && h[ls] === CR)) return { end: k + 1, taken };
      ls = k + 1;
    }
    this.lineStart = ls;
    return { end: -1, taken };
  }

  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  get full(): boolean {
    return this.length >= this.max;
  }

  clear(): void {
    this.length = 0;
    this.lineStart = 0;
  }

  private append(src: Uint8Array, from: number, to: number): void {
    const need = this.length + (to - from);
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.min(this.max, Math.max(need, this.buf.length * 2, 1024)));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(src.subarray(from, to), this.length);
    this.length = need;
  }
}

/** Where the head starting at `start` ends (after its empty line), or -1 before `limit`. */
export function findHeadEnd(buf: Uint8Array, start: number, limit: number): number {
  let ls = start;
  for (;;) {
    const lf = buf.indexOf(LF, ls);
    if (lf < 0 || lf >= limit) return -1;
    if (lf === ls || (lf === ls + 1 && buf[ls] === CR)) return lf + 1;
    ls = lf + 1;
  }
}
