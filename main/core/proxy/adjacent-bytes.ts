/**
 * Pieces of one received chunk handed out one after another by the parser (a response
 * head, then its body) are adjacent views of the same memory: they can travel on as one
 * view — one socket write, one recorder call — without copying anything.
 */

/** `a` and `b` as one view when `b` starts where `a` ends in the same memory, else null. */
export function joinAdjacent(a: Uint8Array, b: Uint8Array): Uint8Array | null {
  if (a.buffer !== b.buffer || a.byteOffset + a.length !== b.byteOffset) return null;
  return new Uint8Array(a.buffer, a.byteOffset, a.length + b.length);
}
