/**
 * Storage for the raw bytes of small finished exchanges: views into shared 1 MiB slabs
 * instead of one ArrayBuffer each. Per-buffer overhead (a backing store, its malloc
 * header, an ArrayBuffer object) is about as large as a small exchange's head, and a
 * hundred thousand separate mallocs fragment the process heap (RSS stays high after
 * garbage is freed). A slab is freed when no exchange uses it any more; exchanges are
 * evicted oldest first, so slabs drain in order.
 */

const SLAB_SIZE = 1 << 20;
/** Larger buffers get their own allocation (they would waste slab tails). */
const MAX_SLABBED = SLAB_SIZE / 8;

let slab = new Uint8Array(0);
let used = 0;

export function allocRaw(length: number): Uint8Array {
  if (length > MAX_SLABBED) return new Uint8Array(length);
  if (used + length > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const view = slab.subarray(used, used + length);
  // Keep views 8-byte aligned: cheap, and typed-array views of any width stay possible.
  used += (length + 7) & ~7;
  return view;
}
