/**
 * Parts (start line, headers, body) back to bytes. Lines that were not changed are copied
 * from the original head byte for byte (spacing, case, line endings, obs-fold), so an
 * unmodified parsed message serializes to exactly the bytes that were received.
 */
import type { RawHeaders, Span } from '../model/exchange';
import { CR, LF, latin1Bytes } from './token-tables';
import { concatBytes as concat } from '../bytes/concat';

export interface OriginalHead {
  /** Bytes the spans point into (e.g. the whole recorded side of an exchange). */
  bytes: Uint8Array;
  startLine: string;
  headers: RawHeaders;
  spans: { startLine: Span; headerLines: Span[]; headerBlock: Span };
}

export interface MessageParts {
  startLine: string;
  headers: RawHeaders;
  /** Body as it goes on the wire (already chunked if Transfer-Encoding says so). */
  body?: Uint8Array;
  /** The head as parsed, to reuse the exact bytes of unchanged lines. */
  original?: OriginalHead;
}

export interface SerializeOptions {
  /**
   * Make Content-Length match the body: rewrite the first Content-Length (dropping
   * duplicates) or add one when the body is not empty. Left alone when the message has
   * Transfer-Encoding (the body delimits itself).
   */
  fixContentLength?: boolean;
}

const CRLF = Uint8Array.of(CR, LF);

/** Serializes a message; see MessageParts and SerializeOptions. */
export function serializeMessage(parts: MessageParts, options: SerializeOptions = {}): Uint8Array {
  const body = parts.body ?? new Uint8Array(0);
  const headers = options.fixContentLength
    ? fixContentLength(parts.headers, body.length)
    : parts.headers;
  const orig = parts.original;
  const out: Uint8Array[] = [];

  if (orig !== undefined && parts.startLine === orig.startLine) {
    out.push(lineWithEnding(orig.bytes, orig.spans.startLine));
  } else {
    out.push(latin1Bytes(parts.startLine), CRLF);
  }

  // Original lines are matched by exact (name, value), in order, so editing one header
  // or inserting another keeps every other line byte-identical.
  const unused = new Map<string, number[]>();
  if (orig !== undefined) {
    orig.headers.forEach(([n, v], i) => {
      const key = n + '\n' + v;
      const list = unused.get(key);
      if (list === undefined) unused.set(key, [i]);
      else list.push(i);
    });
  }
  for (const [name, value] of headers) {
    const idx = unused.get(name + '\n' + value)?.shift();
    if (orig !== undefined && idx !== undefined) {
      out.push(lineWithEnding(orig.bytes, orig.spans.headerLines[idx]));
    } else {
      out.push(latin1Bytes(`${name}: ${value}`), CRLF);
    }
  }

  if (orig !== undefined) {
    // The empty line as it was (CRLF, or a bare LF a lenient parse let through).
    const end = orig.spans.headerBlock.end;
    const bare = end >= 1 && orig.bytes[end - 1] === LF && (end < 2 || orig.bytes[end - 2] !== CR);
    out.push(bare ? Uint8Array.of(LF) : CRLF);
  } else out.push(CRLF);
  out.push(body);
  return concat(out);
}

/** The bytes of a line from its span through its own line ending. */
function lineWithEnding(bytes: Uint8Array, span: Span): Uint8Array {
  let end = span.end;
  if (bytes[end] === CR && bytes[end + 1] === LF) end += 2;
  else if (bytes[end] === LF) end += 1;
  return bytes.subarray(span.start, end);
}

function fixContentLength(headers: RawHeaders, length: number): RawHeaders {
  const has = (n: string): boolean => headers.some(([h]) => h.toLowerCase() === n);
  if (has('transfer-encoding')) return headers;
  const out: RawHeaders = [];
  let seen = false;
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== 'content-length') out.push([n, v]);
    else if (!seen) {
      seen = true;
      out.push([n, String(length)]);
    }
  }
  if (!seen && length > 0) out.push(['Content-Length', String(length)]);
  return out;
}
