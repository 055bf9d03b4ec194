/**
 * Message framing from the parsed head: RFC 9112 §6 (Content-Length, Transfer-Encoding,
 * no-body responses, tunnels) and §9.3 (persistence).
 */
import type { BodyFraming, RawHeaders, Span } from '../model/exchange';
import type { MessageKind } from './parser-types';
import type { IssueSink } from './parse-issues';

export interface FramingFacts {
  kind: MessageKind;
  /** Request: its method. Response: the method of the request it answers. */
  method: string;
  statusCode: number;
  /** HTTP/1.0 (or older/unknown): persistence is opt-in. */
  http10: boolean;
  headers: RawHeaders;
  /** Spans of `headers`, with the sink's base (`start` = offset for issues). */
  spans: Span[];
  /**
   * The fields that matter here, as pairs `[index, FIELD_* kind]` (see
   * framingFields in ./field-lines.ts); found from the names when absent.
   */
  fields?: number[];
}

/** Kinds of the header fields framing depends on. */
export const FIELD_CONTENT_LENGTH = 1;
export const FIELD_TRANSFER_ENCODING = 2;
export const FIELD_CONNECTION = 3;
export const FIELD_UPGRADE = 4;
/** `Connection: keep-alive` / `Connection: close` exactly (any case): no list to split. */
export const FIELD_CONNECTION_KEEP_ALIVE = 5;
export const FIELD_CONNECTION_CLOSE = 6;

function fieldsFromNames(headers: RawHeaders): number[] {
  const out: number[] = [];
  headers.forEach(([name], i) => {
    const n = name.toLowerCase();
    const kind =
      n === 'content-length'
        ? FIELD_CONTENT_LENGTH
        : n === 'transfer-encoding'
          ? FIELD_TRANSFER_ENCODING
          : n === 'connection'
            ? FIELD_CONNECTION
            : n === 'upgrade'
              ? FIELD_UPGRADE
              : 0;
    if (kind !== 0) out.push(i, kind);
  });
  return out;
}

export interface FramingResult {
  framing: BodyFraming;
  contentLength?: number;
  keepAlive: boolean;
  upgrade: boolean;
}

/** Transfer codings registered for HTTP/1.1 (RFC 9112 §7, IANA registry). */
const KNOWN_CODINGS = new Set(['chunked', 'gzip', 'x-gzip', 'deflate', 'compress', 'x-compress']);

const MAX_CONTENT_LENGTH = Number.MAX_SAFE_INTEGER;

export function decideFraming(f: FramingFacts, sink: IssueSink): FramingResult {
  let contentLength: number | undefined;
  let clAt = -1;
  let codings: string[] | undefined;
  let teAt = -1;
  let close = false;
  let keepAliveToken = false;
  let upgradeToken = false;
  let hasUpgradeHeader = false;

  const fields = f.fields ?? fieldsFromNames(f.headers);
  for (let k = 0; k < fields.length; k += 2) {
    const h = fields[k];
    const kind = fields[k + 1];
    const value = f.headers[h][1];
    const at = f.spans[h].start + sink.base;
    if (kind === FIELD_CONNECTION_KEEP_ALIVE) keepAliveToken = true;
    else if (kind === FIELD_CONNECTION_CLOSE) close = true;
    else if (kind === FIELD_CONTENT_LENGTH) {
      const n = parseContentLength(value, at, sink);
      if (contentLength === undefined) {
        contentLength = n;
        clAt = at;
      } else if (n !== contentLength) {
        sink.violation(
          'CONFLICTING_CONTENT_LENGTH',
          `Content-Length ${contentLength} and ${n} disagree`,
          at,
        );
      }
    } else if (kind === FIELD_TRANSFER_ENCODING) {
      codings ??= [];
      teAt = teAt < 0 ? at : teAt;
      for (const part of value.split(',')) {
        const coding = part.split(';')[0].trim().toLowerCase();
        if (coding !== '') codings.push(coding);
      }
    } else if (kind === FIELD_CONNECTION) {
      for (const part of value.split(',')) {
        const token = part.trim().toLowerCase();
        if (token === 'close') close = true;
        else if (token === 'keep-alive') keepAliveToken = true;
        else if (token === 'upgrade') upgradeToken = true;
      }
    } else if (kind === FIELD_UPGRADE) {
      hasUpgradeHeader = true;
    }
  }

  let keepAlive = f.http10 ? keepAliveToken && !close : !close;
  const isRequest = f.kind === 'request';
  const method = f.method;
  const upgrade = isRequest && (method === 'CONNECT' || (upgradeToken && hasUpgradeHeader));

  let chunked = false;
  if (codings !== undefined) {
    if (contentLength !== undefined) {
      sink.violation(
        'CONTENT_LENGTH_AND_TRANSFER_ENCODING',
        'both Content-Length and Transfer-Encoding are present',
        Math.max(clAt, teAt),
      );
      // RFC 9112 §6.3: Transfer-Encoding wins, and the connection must not be reused.
      contentLength = undefined;
      keepAlive = false;
    }
    if (f.http10) {
      sink.violation(
        'TRANSFER_ENCODING_IN_HTTP10',
        'Transfer-Encoding in an HTTP/1.0 message',
        teAt,
      );
      keepAlive = false;
    }
    for (const c of codings) {
      if (!KNOWN_CODINGS.has(c)) {
        sink.violation('UNKNOWN_TRANSFER_CODING', `unknown transfer coding "${c}"`, teAt);
      }
    }
    const last = codings.length - 1;
    chunked = last >= 0 && codings[last] === 'chunked';
    const chunkedTwice = codings.indexOf('chunked') !== last && codings.includes('chunked');
    if (isRequest && (!chunked || chunkedTwice)) {
      // A request body that does not end in exactly one `chunked` cannot be delimited.
      sink.fatal(
        'TRANSFER_ENCODING_NOT_CHUNKED',
        'request Transfer-Encoding must end with chunked, applied once',
        teAt,
      );
    }
    if (chunkedTwice) {
      sink.violation('TRANSFER_ENCODING_NOT_CHUNKED', 'chunked applied more than once', teAt);
    }
  }

  if (isRequest) {
    if (method === 'CONNECT') return { framing: 'tunnel', keepAlive: false, upgrade };
    if (chunked) return { framing: 'chunked', keepAlive, upgrade };
    if (contentLength !== undefined) {
      return { framing: 'content-length', contentLength, keepAlive, upgrade };
    }
    return { framing: 'none', keepAlive, upgrade };
  }

  const status = f.statusCode;
  if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) {
    return { framing: 'tunnel', contentLength, keepAlive: false, upgrade: false };
  }
  if (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) {
    return { framing: 'none', contentLength, keepAlive, upgrade: false };
  }
  if (codings !== undefined) {
    // A response whose final coding is not chunked runs until the connection closes.
    if (chunked) return { framing: 'chunked', keepAlive, upgrade: false };
    return { framing: 'close', keepAlive: false, upgrade: false };
  }
  if (contentLength !== undefined) {
    return { framing: 'content-length', contentLength, keepAlive, upgrade: false };
  }
  return { framing: 'close', keepAlive: false, upgrade: false };
}

/**
 * `1*DIGIT`; a list of identical values ("5, 5") is accepted as RFC 9110 §8.6 allows.
 * Anything else cannot delimit a body, so it is fatal in both modes.
 */
function parseContentLength(value: string, at: number, sink: IssueSink): number {
  // Fast path: plain digits (the common case), short enough to be exact.
  if (value.length > 0 && value.length <= 15) {
    let n = 0;
    let i = 0;
    for (; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
    }
    if (i === value.length) return n;
  }
  let result = -1;
  for (const part of value.split(',')) {
    const text = part.trim();
    if (!/^[0-9]+$/.test(text)) {
      sink.fatal('INVALID_CONTENT_LENGTH', `invalid Content-Length "${value}"`, at);
    }
    const n = Number(text);
    if (n > MAX_CONTENT_LENGTH)
      sink.fatal('INVALID_CONTENT_LENGTH', 'Content-Length too large', at);
    if (result >= 0 && n !== result) {
      sink.violation('CONFLICTING_CONTENT_LENGTH', `Content-Length list "${value}" disagrees`, at);
      continue;
    }
    if (result < 0) result = n;
  }
  return result;
}
