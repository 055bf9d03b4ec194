/** Small byte helpers shared by the HAR and cURL converters (pure TS, no Buffer). */

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export { concatBytes } from '../bytes/concat';

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Each char code 0–255 becomes one byte (head lines are latin1 on the wire). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** The text if the bytes are valid UTF-8, else null. */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Header value text → bytes: latin1 when every char fits in a byte, else UTF-8. */
export function headerTextBytes(text: string): Uint8Array {
  return /^[\u0000-\u00ff]*$/.test(text) ? latin1Bytes(text) : utf8Bytes(text);
}

export { fromBase64, toBase64 } from '../bytes/base64';
