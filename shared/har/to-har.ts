/**
 * Exchanges → HAR 1.2. Lossless for what HAR can hold: headers in order (duplicates kept),
 * bodies complete (UTF-8 text as text, anything else base64), failed exchanges kept with
 * `_error`. Response `content` is the decoded body (HAR convention); decoding lives on the
 * Node side, so the caller passes a decoder (default: de-chunk only).
 */
import type { BodyFraming, ExchangeDetail, MessageRecord, RawHeaders } from '../model/exchange';
import { dechunk } from '../http/framing';
import { strictUtf8, toBase64 } from '../curl/bytes';
import { harTimings, queryStringOf, requestCookies, responseCookies } from './har-fields';
import type { Har, HarContent, HarEntry, HarRequest, HarResponse } from './har-types';

export interface HarSource {
  detail: ExchangeDetail;
  /** All request bytes recorded for the exchange. */
  requestRaw: Uint8Array;
  /** All response bytes recorded (1xx responses included), or null. */
  responseRaw: Uint8Array | null;
}

export type BodyDecoder = (
  rawBody: Uint8Array,
  headers: RawHeaders,
  framing: BodyFraming,
) => { bytes: Uint8Array; error?: string };

export interface ToHarOptions {
  decode?: BodyDecoder;
  creator?: { name: string; version: string };
}

/** De-chunks only; content codings stay applied. */
export const dechunkOnly: BodyDecoder = (rawBody, _headers, framing) => {
  if (framing !== 'chunked') return { bytes: rawBody };
  const d = dechunk(rawBody);
  return d.complete
    ? { bytes: d.payload }
    : { bytes: d.payload, error: 'chunked body is incomplete' };
};

function header(headers: RawHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Text when the bytes are UTF-8 without NULs (round-trips exactly), else base64. */
export function bodyText(bytes: Uint8Array): { text: string; encoding?: 'base64' } {
  const text = bytes.includes(0) ? null : strictUtf8(bytes);
  return text !== null ? { text } : { text: toBase64(bytes), encoding: 'base64' };
}

interface Parts {
  head: number;
  body: Uint8Array;
  version: string;
}

/** Head size and wire body of a recorded message (spans point into `raw`). */
function partsOf(message: MessageRecord | null, raw: Uint8Array | null): Parts | null {
  if (!message || !raw || !message.layout) return null;
  const { startLine, headerBlock, body } = message.layout;
  const version = message.startLine.split(' ').find((w) => w.startsWith('HTTP/')) ?? 'HTTP/1.1';
  return {
    head: headerBlock.end - startLine.start,
    body: raw.subarray(body.start, Math.min(body.end, raw.length)),
    version,
  };
}

/** Messages HAR fields cannot reproduce byte for byte: unparsed, with issues, or cut short. */
function needsRaw(message: MessageRecord | null, parts: Parts | null): boolean {
  return !parts || !message || message.issues.length > 0 || !message.complete;
}

function harRequest(detail: ExchangeDetail, raw: Uint8Array): HarRequest {
  const message = detail.request;
  const headers = message?.headers ?? [];
  const parts = partsOf(message, raw);
  const request: HarRequest = {
    method: detail.summary.method,
    url: detail.summary.url,
    httpVersion: parts?.version ?? 'HTTP/1.1',
    cookies: requestCookies(headers),
    headers: headers.map(([name, value]) => ({ name, value })),
    queryString: queryStringOf(detail.summary.url),
    headersSize: parts ? parts.head : -1,
    bodySize: parts ? parts.body.length : -1,
  };
  if (message) request._startLine = message.startLine;
  // Malformed or cut-short bytes do not fit HAR's fields: keep them whole as well.
  if (raw.length > 0 && needsRaw(message, parts)) request._raw = toBase64(raw);
  if (parts && parts.body.length > 0) {
    // Request bodies are de-chunked but not decompressed, so the headers stay true.
    const payload = dechunkOnly(parts.body, headers, message?.framing ?? 'none').bytes;
    request.postData = {
      mimeType: header(headers, 'content-type') ?? '',
      ...bodyText(payload),
    };
  }
  return request;
}

const NO_RESPONSE: HarResponse = {
  status: 0,
  statusText: '',
  httpVersion: '',
  cookies: [],
  headers: [],
  content: { size: 0, mimeType: '' },
  redirectURL: '',
  headersSize: -1,
  bodySize: -1,
};

function harResponse(
  detail: ExchangeDetail,
  raw: Uint8Array | null,
  decode: BodyDecoder,
): HarResponse {
  const message = detail.response;
  const parts = partsOf(message, raw);
  if (!message || !parts) {
    const none: HarResponse = { ...NO_RESPONSE, cookies: [], headers: [] };
    if (raw && raw.length > 0) none._raw = toBase64(raw);
    return none;
  }
  const headers = message.headers;
  const decoded = decode(parts.body, headers, message.framing ?? 'none');
  const content: HarContent = {
    size: decoded.bytes.length,
    compression: decoded.bytes.length - parts.body.length,
    mimeType: header(headers, 'content-type') ?? '',
    ...(decoded.bytes.length > 0 ? bodyText(decoded.bytes) : {}),
  };
  if (decoded.error) content._decodeError = decoded.error;
  const [, statusText = ''] = /^\S+\s+\d+\s?(.*)$/.exec(message.startLine) ?? [];
  return {
    status: detail.summary.status ?? 0,
    statusText,
    httpVersion: parts.version,
    cookies: responseCookies(headers),
    headers: headers.map(([name, value]) => ({ name, value })),
    content,
    redirectURL: header(headers, 'location') ?? '',
    headersSize: parts.head,
    bodySize: parts.body.length,
    _transferSize: raw?.length ?? message.rawLength,
    _startLine: message.startLine,
    ...(raw && raw.length > 0 && needsRaw(message, parts) ? { _raw: toBase64(raw) } : {}),
  };
}

export function toHarEntry(source: HarSource, decode: BodyDecoder = dechunkOnly): HarEntry {
  const { detail } = source;
  const { timings, time } = harTimings(detail.timings);
  const entry: HarEntry = {
    startedDateTime: new Date(detail.timings.start).toISOString(),
    time,
    request: harRequest(detail, source.requestRaw),
    response: harResponse(detail, source.responseRaw, decode),
    cache: {},
    timings,
    connection: String(detail.summary.connectionId),
    _wirelens: {
      id: detail.summary.id,
      source: detail.summary.source,
      state: detail.summary.state,
      scheme: detail.summary.scheme,
      host: detail.summary.host,
      port: detail.summary.port,
      ...(detail.warnings.length > 0 ? { warnings: detail.warnings } : {}),
    },
  };
  if (detail.connection?.remoteAddress) entry.serverIPAddress = detail.connection.remoteAddress;
  if (detail.summary.error) entry._error = { ...detail.summary.error };
  return entry;
}

export const HAR_CREATOR = { name: 'Wirelens', version: '0.1.0' };

/** The HAR document for `sources`, in the given order. */
export function toHar(sources: HarSource[], options: ToHarOptions = {}): Har {
  return {
    log: {
      version: '1.2',
      creator: options.creator ?? HAR_CREATOR,
      pages: [],
      entries: sources.map((s) => toHarEntry(s, options.decode)),
    },
  };
}
