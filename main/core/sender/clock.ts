/** Time marks as the data model wants them: epoch milliseconds, sub-millisecond, monotonic. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
