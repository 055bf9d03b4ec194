/**
 * JSON text for strings and numbers, for the hand-written record writers (hot path): the
 * same text `JSON.stringify` gives, without its generic machinery for the common strings
 * that need no escaping (printable ASCII without `"` and `\`).
 */
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function jsonString(s: string): string {
  return NEEDS_NO_ESCAPE.test(s) ? '"' + s + '"' : JSON.stringify(String(s));
}

/** Numbers that are not finite become `null`, as JSON.stringify does. */
export function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/**
 * A time in milliseconds rounded to the microsecond (what `Timings` resolve to): cheaper to
 * print than a full double, e.g. `1795698597857.46` for 1795698597857.4600527.
 */
export function jsonMs(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  const ms = Math.floor(x);
  const us = Math.round((x - ms) * 1000);
  if (us === 0) return String(ms);
  if (us === 1000) return String(ms + 1);
  let frac = us < 10 ? '00' + us : us < 100 ? '0' + us : String(us);
  while (frac.charCodeAt(frac.length - 1) === 0x30) frac = frac.slice(0, -1);
  return ms + '.' + frac;
}
