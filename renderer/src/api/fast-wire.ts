/**
 * The web transport's byte encoding (`{ $bytes: base64 }`, as in shared/api/wire-encoding.ts)
 * with a table-driven base64 codec. The shared helpers build strings with
 * `String.fromCharCode(...chunk)` and `btoa`: spreading a typed array costs V8 ~0.5 s per
 * MiB, so a 5 MB body would freeze the page. Same wire format, interchangeable.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = new Uint8Array(64);
const DECODE = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='
const CHUNK = 0x8000;

/** Bytes → ASCII codes → string, in chunks small enough for `apply`. */
function asciiToString(codes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[n >> 18];
    out[o++] = ENCODE[(n >> 12) & 63];
    out[o++] = ENCODE[(n >> 6) & 63];
    out[o++] = ENCODE[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[n >> 18];
    out[o++] = ENCODE[(n >> 12) & 63];
    out[o++] = rest === 2 ? ENCODE[(n >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return asciiToString(out);
}

/** Decodes standard base64 (padding optional); throws on characters outside the alphabet. */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 256 ? DECODE[code] : 255;
    if (v === 255) throw new Error(`invalid base64 character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Replaces every `Uint8Array` (at any depth) with `{ $bytes: base64 }`. */
export function encodeWireFast(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: encodeBase64(value) };
  if (Array.isArray(value)) return value.map(encodeWireFast);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeWireFast(v);
    return out;
  }
  return value;
}

/** The inverse of `encodeWireFast` (and of the shared `encodeWire`). */
export function decodeWireFast(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWireFast);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bytes === 'string' && Object.keys(record).length === 1) {
      return decodeBase64(record.$bytes);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = decodeWireFast(v);
    return out;
  }
  return value;
}
