/** Time marks as the data model wants them: epoch milliseconds, sub-millisecond, monotonic. */
// Read once: the origin is fixed for the process, and the getter costs a call per mark.
const ORIGIN = performance.timeOrigin;

export function now(): number {
  return ORIGIN + performance.now();
}
