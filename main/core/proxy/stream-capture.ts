/**
 * Keeps the received chunks that belong to a message head not yet parsed, so the exact
 * head bytes can be recorded and forwarded (the parser reports spans, not copies). Body
 * bytes are not kept here: they stream through and are recorded as they pass, so memory
 * stays bounded by the head size limit plus one chunk.
 */
export class StreamCapture {
  private readonly chunks: Array<{ start: number; bytes: Uint8Array }> = [];
  /** Stream offset of the next byte to arrive. */
  private received = 0;
  /** Offset before which nothing is needed any more. */
  private keepFrom = 0;
  private keeping = true;
  private current: { start: number; bytes: Uint8Array } | null = null;

  /** @param start stream offset of the first byte (a reused connection's parser goes on counting). */
  constructor(start = 0) {
    this.received = start;
    this.keepFrom = start;
  }

  /** Starts over at stream offset `start` (the next exchange on a kept connection). */
  reset(start: number): void {
    if (this.chunks.length !== 0) this.chunks.length = 0;
    this.received = start;
    this.keepFrom = start;
    this.keeping = true;
    this.current = null;
  }

  /** Call before pushing `bytes` to the parser. */
  add(bytes: Uint8Array): void {
    const entry = { start: this.received, bytes };
    this.received += bytes.length;
    this.current = entry;
    if (this.keeping) this.chunks.push(entry);
  }

  /** Call after the push returned. */
  afterPush(): void {
    this.trim();
    this.current = null;
  }

  /** The bytes `[start, end)` (must still be held). */
  slice(start: number, end: number): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const c of this.chunks) {
      const cEnd = c.start + c.bytes.length;
      if (cEnd <= start || c.start >= end) continue;
      parts.push(
        c.bytes.subarray(Math.max(0, start - c.start), Math.min(c.bytes.length, end - c.start)),
      );
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Everything held from `start` to the last byte received. */
  from(start: number): Uint8Array {
    return this.slice(start, this.received);
  }

  /** The head ended at `end`: the body streams, stop keeping chunks. */
  headDone(end: number): void {
    this.keepFrom = end;
    this.keeping = false;
    // Chunks already held may also carry the body and following (pipelined) messages.
    this.dropBefore(end);
  }

  /** The message ended at `end`: keep bytes from there for the next head. */
  messageDone(end: number): void {
    this.keepFrom = end;
    this.keeping = true;
    this.dropBefore(end);
    const c = this.current;
    if (c && c.start + c.bytes.length > end && !this.chunks.includes(c)) this.chunks.push(c);
  }

  /**
   * Bytes from `start` to the end of what was received, also while a body streams (from
   * the chunk being parsed): what a fatal body error must still record.
   */
  unconsumed(start: number): Uint8Array {
    const c = this.current;
    if (!this.keeping && c && !this.chunks.includes(c)) {
      const held = this.slice(start, c.start);
      const tail = c.bytes.subarray(Math.max(0, start - c.start));
      return held.length === 0 ? tail : Buffer.concat([held, tail]);
    }
    return this.from(start);
  }

  /** Offset of the first byte still needed (the start of the message being read). */
  get heldFrom(): number {
    return this.keepFrom;
  }

  get total(): number {
    return this.received;
  }

  private trim(): void {
    this.dropBefore(this.keepFrom);
  }

  /** Forgets the chunks that end at or before `end` (in place: this runs per chunk). */
  private dropBefore(end: number): void {
    const chunks = this.chunks;
    let kept = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i];
      if (c.start + c.bytes.length > end) chunks[kept++] = c;
    }
    if (kept !== chunks.length) chunks.length = kept;
  }
}
