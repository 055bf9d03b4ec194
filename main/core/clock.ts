/**
 * Time marks as the data model wants them (Timings, shared/model/exchange.ts): epoch
 * milliseconds, monotonic within a run (`performance.timeOrigin + performance.now()`),
 * to the microsecond. Whole microseconds are finer than any timing Wirelens shows, and a
 * value with at most three decimals goes into the capture log without the general
 * number-to-text conversion (JsonBytes.num, ./store/json-bytes.ts).
 */
// Read once: the origin is fixed for the process, and the getter costs a call per mark.
const ORIGIN = performance.timeOrigin;

export function nowMs(): number {
  return Math.round((ORIGIN + performance.now()) * 1000) / 1000;
}
