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
  // Offsets, lengths, ids: small integers, V8's cached Smi-to-string path.
  if ((x | 0) === x) return '' + x;
  return Number.isFinite(x) ? String(x) : 'null';
}
