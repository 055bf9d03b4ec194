/**
 * Pieces of one received chunk handed out one after another by the parser (a response
 * head, then its body) are adjacent views of the same memory: they can travel on as one
 * view — one socket write, one recorder call — without copying anything.
 */

/**
 * `a` and `b` as one view when `b` starts where `a` ends in the same memory, else null.
 * A Buffer: a socket would otherwise wrap a plain Uint8Array in one at every write.
 */
export function joinAdjacent(a: Uint8Array, b: Uint8Array): Buffer | null {
  if (a.buffer !== b.buffer || a.byteOffset + a.length !== b.byteOffset) return null;
  return Buffer.from(a.buffer, a.byteOffset, a.length + b.length);
}
