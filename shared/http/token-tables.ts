/**
 * Byte classification tables and the latin1 decoder used by the HTTP/1.x engine.
 * Tables are indexed by byte value so the hot loops do one array read per byte.
 */

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

/** RFC 9110 §5.6.2 tchar: the characters of a method or header-field name. */
export const TOKEN = table(
  (c) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)),
);

/**
 * RFC 9110 §5.5 field-vchar / SP / HTAB: what may appear inside a header value.
 * 1 = ASCII, 2 = obs-text (0x80–0xFF, allowed but needs the careful latin1 decode), 0 = not allowed.
 */
export const FIELD_VALUE = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++)
    t[c] = c >= 0x80 ? 2 : c === 0x09 || (c >= 0x20 && c !== 0x7f) ? 1 : 0;
  return t;
})();

/** Request-target characters: visible ASCII (RFC 3986 is stricter; origins decide). */
export const TARGET = table((c) => c > 0x20 && c < 0x7f);

/** Reason phrase: HTAB / SP / VCHAR / obs-text. */
export const REASON = FIELD_VALUE;

/** Value of a hex digit, or -1. */
export const HEX = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[0x30 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[0x41 + c] = 10 + c;
    t[0x61 + c] = 10 + c;
  }
  return t;
})();

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HT = 0x09;
export const COLON = 0x3a;

/**
 * Decodes bytes as ISO-8859-1 (one byte = one UTF-16 unit), so every byte survives a
 * round trip. `TextDecoder('latin1')` would not do: WHATWG maps that label to
 * windows-1252, which rewrites 0x80–0x9F.
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n <= 24) {
    // Short strings (most names and values): avoiding a subarray view is cheaper.
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  let s = '';
  for (let i = start; i < end; i += 8192) {
    const stop = Math.min(end, i + 8192);
    s += String.fromCharCode.apply(null, bytes.subarray(i, stop) as unknown as number[]);
  }
  return s;
}

const utf8 = new TextDecoder();

/**
 * latin1 for a whole block (a head): one native decode when the bytes are ASCII (then
 * UTF-8 and latin1 agree), the careful path otherwise. Callers slice the result.
 * `asciiFrom`: the caller already knows `bytes[asciiFrom..end)` is ASCII.
 */
export function decodeLatin1Block(
  bytes: Uint8Array,
  start: number,
  end: number,
  asciiFrom = end,
): string {
  for (let i = start; i < asciiFrom; i++) {
    if (bytes[i] > 0x7f) return latin1(bytes, start, end);
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** Encodes a latin1 string back to bytes (code units above 0xFF become `?`). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}

/** ASCII case-insensitive comparison of `bytes[start..end)` with a lower-case name. */
export function equalsLower(bytes: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = bytes[start + i];
    const l = lower.charCodeAt(i);
    // Fold case only for letters: `| 0x20` would also turn CR into '-'.
    if (c !== l && !(l >= 0x61 && l <= 0x7a && (c | 0x20) === l)) return false;
  }
  return true;
}
