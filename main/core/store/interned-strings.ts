/**
 * Strings kept per exchange must not be slices of the whole head text they were cut from
 * (V8 keeps the parent alive): copy them. Values that repeat across exchanges (methods,
 * hosts, content types) are shared through a bounded table instead.
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}

const interned = new Map<string, string>();

/** `s` from the shared table (added while the table has room), never a slice of a parent. */
export function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  const copy = detach(s);
  if (interned.size < 10_000) interned.set(copy, copy);
  return copy;
}
