/**
 * Small helpers around message framing that the proxy, the sender, the store and the UI
 * share: de-chunking a recorded body, header lookups, hop-by-hop fields.
 */
import type { ParseIssue, RawHeaders } from '../model/exchange';
import { ChunkedDecoder } from './chunked-decoder';
import { IssueSink, ParseFailure } from './parse-issues';
import { DEFAULT_MAX_CHUNK_EXTENSION_BYTES, DEFAULT_MAX_HEADER_COUNT } from './http-parser';

export interface Dechunked {
  payload: Uint8Array;
  trailers: RawHeaders;
  /** Tolerated problems and, last, the fatal one that stopped decoding (if any). */
  issues: ParseIssue[];
  /** The last-chunk and the end of the trailer section were seen. */
  complete: boolean;
}

/**
 * De-chunks a body recorded as on the wire (lenient: what can be decoded is returned).
 * Issue offsets are relative to the first byte of `rawBody`.
 */
export function dechunk(rawBody: Uint8Array): Dechunked {
  const sink = new IssueSink('lenient');
  const decoder = new ChunkedDecoder(sink, {
    maxExtensionBytes: DEFAULT_MAX_CHUNK_EXTENSION_BYTES,
    maxTrailerBytes: rawBody.length + 1,
    maxTrailerCount: DEFAULT_MAX_HEADER_COUNT,
  });
  const pieces: Uint8Array[] = [];
  let size = 0;
  const issues: ParseIssue[] = [];
  try {
    decoder.feed(rawBody, 0, rawBody.length, 0, (buf, s, e) => {
      pieces.push(buf.subarray(s, e));
      size += e - s;
      return false;
    });
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    issues.push(e.issue);
  }
  issues.unshift(...sink.warnings);
  if (!decoder.done && issues.length === sink.warnings.length) {
    issues.push({
      code: 'INCOMPLETE_MESSAGE',
      message: 'chunked body ends before its last chunk',
      offset: rawBody.length,
    });
  }
  const payload = new Uint8Array(size);
  let o = 0;
  for (const p of pieces) {
    payload.set(p, o);
    o += p.length;
  }
  return { payload, trailers: decoder.trailers, issues, complete: decoder.done };
}

/** All values of a header (case-insensitive name), in order, as sent. */
export function headerValues(headers: RawHeaders, name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) out.push(v);
  return out;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** The comma-separated elements of every instance of a header, trimmed, lower-cased. */
export function headerTokens(headers: RawHeaders, name: string): string[] {
  const out: string[] = [];
  for (const v of headerValues(headers, name)) {
    for (const part of v.split(',')) {
      const t = part.trim().toLowerCase();
      if (t !== '') out.push(t);
    }
  }
  return out;
}

/**
 * Fields that describe one connection, not the message (RFC 9110 §7.6.1, plus the
 * classic RFC 2616 list and the non-standard Proxy-Connection).
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Whether a field is hop-by-hop. Pass the message's headers to also count the fields its
 * Connection header names.
 */
export function isHopByHop(name: string, headers?: RawHeaders): boolean {
  const lower = name.toLowerCase();
  if (HOP_BY_HOP_HEADERS.has(lower)) return true;
  return headers !== undefined && headerTokens(headers, 'connection').includes(lower);
}
