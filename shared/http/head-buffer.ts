/**
 * Gathers the bytes of a head that spans several pushes, and finds where a head ends
 * (the empty line: CRLF CRLF, or a bare LF on either side, which parsing then judges).
 */
import { CR, LF } from './token-tables';

export class HeadBuffer {
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
