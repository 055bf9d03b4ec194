/**
 * Turns values holding `Uint8Array`s into JSON-safe values and back, for transports that
 * carry text (the web mode's WebSocket): every byte array becomes `{ $bytes: base64 }`.
 * Electron IPC carries `Uint8Array` natively. The codec is a parameter so the Node side can
 * use its native base64 with the same wire format.
 */
import { fromBase64, toBase64 } from '../bytes/base64';

export interface Base64Codec {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}

export const PURE_BASE64: Base64Codec = {
  encode: toBase64,
  decode: (text) => {
    const bytes = fromBase64(text);
    if (bytes === null) throw new Error('invalid base64 in a { $bytes } value');
    return bytes;
  },
};

export function bytesToBase64(bytes: Uint8Array): string {
  return toBase64(bytes);
}

export function base64ToBytes(text: string): Uint8Array {
  return PURE_BASE64.decode(text);
}

/** Replaces every `Uint8Array` (at any depth) with `{ $bytes: base64 }`. */
export function encodeWire(value: unknown, codec: Base64Codec = PURE_BASE64): unknown {
  if (value instanceof Uint8Array) return { $bytes: codec.encode(value) };
  if (Array.isArray(value)) return value.map((v) => encodeWire(v, codec));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeWire(v, codec);
    return out;
  }
  return value;
}

/** The inverse of `encodeWire`. */
export function decodeWire(value: unknown, codec: Base64Codec = PURE_BASE64): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeWire(v, codec));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bytes === 'string' && Object.keys(record).length === 1) {
      return codec.decode(record.$bytes);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = decodeWire(v, codec);
    return out;
  }
  return value;
}

/**
 * `JSON.stringify(encodeWire(value))` in one pass, without copying the value first (half
 * the time for a page of 20,000 summaries). The holder's own value is checked, so a
 * Node `Buffer` (whose toJSON would run first) is encoded like any byte array.
 */
export function stringifyWire(value: unknown, codec: Base64Codec = PURE_BASE64): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const own = this[key];
    return own instanceof Uint8Array ? { $bytes: codec.encode(own) } : v;
  });
}

/**
 * `decodeWire(JSON.parse(text))`, walking the value only when the text has a `"$bytes"`
 * key somewhere: list pages and event batches have none, and the walk (a copy of every
 * object) cost more than the parse itself.
 */
export function parseWire(text: string, codec: Base64Codec = PURE_BASE64): unknown {
  const value: unknown = JSON.parse(text);
  return text.includes('"$bytes"') ? decodeWire(value, codec) : value;
}
