/**
 * Rebuilds raw HTTP/1.1 message bytes from HAR fields, so imported exchanges are stored
 * like captured ones (raw bytes as truth). HAR holds decoded bodies and often HTTP/2
 * headers, so the head is adjusted to stay consistent with the body, and every
 * adjustment is reported as a warning:
 * - HTTP/2 pseudo-headers (`:authority`, `:path`…) are dropped; `Host` is added if absent;
 * - `Transfer-Encoding: chunked` is removed and `Content-Length` set to the body length
 *   (the body is stored de-chunked, not re-chunked);
 * - a response `Content-Encoding` is removed when the body is stored decoded.
 */
import type { RawHeaders } from '../model/exchange';
import { concatBytes, fromBase64, headerTextBytes, utf8Bytes } from '../curl/bytes';

export class HarFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** `{name, value}[]` → RawHeaders; pseudo-headers go to `pseudo`. */
export function readHeaders(
  value: unknown,
  field: string,
  warnings: string[],
): { headers: RawHeaders; pseudo: Map<string, string> } {
  const headers: RawHeaders = [];
  const pseudo = new Map<string, string>();
  if (value === undefined || value === null) {
    warnings.push(`${field} is missing; no headers`);
    return { headers, pseudo };
  }
  if (!Array.isArray(value)) throw new HarFieldError(field, `${field} is not a list`);
  value.forEach((h: unknown, i) => {
    const name = (h as { name?: unknown })?.name;
    const v = (h as { value?: unknown })?.value;
    if (typeof name !== 'string' || name === '') {
      throw new HarFieldError(`${field}[${i}].name`, `${field}[${i}].name is missing`);
    }
    const text = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
    if (name.startsWith(':')) pseudo.set(name.toLowerCase(), text);
    else headers.push([name, text]);
  });
  if (pseudo.size > 0) {
    warnings.push(`HTTP/2 pseudo-headers dropped: ${[...pseudo.keys()].join(', ')}`);
  }
  return { headers, pseudo };
}

/** A HAR body (`text` + optional base64 `encoding`) as bytes. */
export function readBody(
  holder: { text?: unknown; encoding?: unknown; _encoding?: unknown } | undefined,
  field: string,
): Uint8Array | null {
  if (!holder || holder.text === undefined || holder.text === null) return null;
  if (typeof holder.text !== 'string')
    throw new HarFieldError(`${field}.text`, `${field}.text is not text`);
  const encoding = holder.encoding ?? holder._encoding;
  if (typeof encoding === 'string' && encoding.toLowerCase() === 'base64') {
    const bytes = fromBase64(holder.text);
    if (!bytes) throw new HarFieldError(`${field}.text`, `${field}.text is not valid base64`);
    return bytes;
  }
  return utf8Bytes(holder.text);
}

/** `HTTP/1.0` and `HTTP/1.1` stay; anything else (h2, h3, "unknown", "") becomes HTTP/1.1. */
export function http1Version(version: unknown, warnings: string[]): string {
  const v = typeof version === 'string' ? version.trim().toUpperCase() : '';
  if (v === 'HTTP/1.1' || v === 'HTTP/1.0') return v;
  if (/^(H2|H3|HTTP\/2(\.0)?|HTTP\/3(\.0)?|H2C|SPDY.*|QUIC.*)$/.test(v)) {
    warnings.push(`${version} exchange rebuilt as an HTTP/1.1 message`);
  }
  return 'HTTP/1.1';
}

const has = (headers: RawHeaders, name: string) => headers.some(([n]) => n.toLowerCase() === name);

/**
 * Makes the framing headers match `body`: drops chunked Transfer-Encoding, sets
 * Content-Length. `bodyless` (HEAD / 204 / 304 answers) keeps what was there.
 */
export function frameForBody(
  headers: RawHeaders,
  body: Uint8Array,
  bodyless: boolean,
  warnings: string[],
): RawHeaders {
  if (bodyless) return headers;
  let out = headers;
  if (out.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v))) {
    out = out.filter(([n]) => n.toLowerCase() !== 'transfer-encoding');
    warnings.push(
      'Transfer-Encoding: chunked removed: the body is stored de-chunked with a Content-Length',
    );
  }
  const length = String(body.length);
  const existing = out.filter(([n]) => n.toLowerCase() === 'content-length');
  if (existing.length === 1 && existing[0][1].trim() === length) return out;
  if (existing.length === 0 && body.length === 0) return out;
  if (existing.length > 0) {
    warnings.push(`Content-Length set to ${length} (was ${existing.map(([, v]) => v).join(', ')})`);
    let replaced = false;
    return out.flatMap(([n, v]): RawHeaders => {
      if (n.toLowerCase() !== 'content-length') return [[n, v]];
      if (replaced) return [];
      replaced = true;
      return [[n, length]];
    });
  }
  if (!has(out, 'content-length')) warnings.push(`Content-Length: ${length} added for the body`);
  return [...out, ['Content-Length', length]];
}

const CRLF = utf8Bytes('\r\n');

export function serialize(startLine: string, headers: RawHeaders, body: Uint8Array): Uint8Array {
  // Per line: one non-latin1 value must not change how the other lines are encoded.
  const lines = [startLine, ...headers.map(([n, v]) => `${n}: ${v}`)];
  return concatBytes([...lines.map((l) => headerTextBytes(l + '\r\n')), CRLF, body]);
}
