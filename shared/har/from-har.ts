/**
 * HAR → exchanges with rebuilt raw bytes (see ./har-message.ts for what is adjusted).
 * Tolerant of what real exporters write — Chrome/Edge (HTTP/2 pseudo-headers, `_error`,
 * base64 content), Firefox (`postData.params`, "HTTP/2"), Safari and Charles (-1 timings,
 * `content: {}`), Insomnia (missing optional fields), mitmproxy (base64, odd versions) —
 * and strict about what it cannot guess: a missing method or URL skips that entry with a
 * reason naming the entry and field; the rest of the file still imports.
 */
import type { Timings, WirelensError } from '../model/exchange';
import { fromBase64, utf8Bytes } from '../curl/bytes';
import { timingsFromHar } from './har-fields';
import {
  frameForBody,
  HarFieldError,
  http1Version,
  readBody,
  readHeaders,
  serialize,
} from './har-message';

export interface ImportedExchange {
  /** Position of the entry in the HAR file. */
  index: number;
  requestRaw: Uint8Array;
  responseRaw: Uint8Array | null;
  /** The request method (decides the response framing). */
  method: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  timings: Timings;
  serverIPAddress?: string;
  /** The HAR `connection` id, to group exchanges that shared one. */
  connection?: string;
  error: WirelensError | null;
  warnings: string[];
}

export interface HarImport {
  entries: ImportedExchange[];
  skipped: Array<{ index: number; reason: string }>;
}

export class HarImportError extends Error {
  constructor(
    readonly code: 'HAR_INVALID_JSON' | 'HAR_NOT_A_HAR',
    message: string,
  ) {
    super(message);
  }
}

/** Parses the document and returns its entries (unconverted), or throws HarImportError. */
export function readHarEntries(text: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new HarImportError('HAR_INVALID_JSON', `not valid JSON: ${(error as Error).message}`);
  }
  const log = (doc as { log?: unknown })?.log ?? doc;
  const entries = (log as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) {
    throw new HarImportError(
      'HAR_NOT_A_HAR',
      'not a HAR file: log.entries is missing or not a list',
    );
  }
  return entries;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function requireString(o: Obj, key: string, field: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new HarFieldError(field, `${field} is missing`);
  return v;
}

/** `_error` at the entry (Wirelens) or in the response (Chrome: `"net::ERR_…"`). */
function readError(entry: Obj): WirelensError | null {
  const e = entry._error ?? (isObj(entry.response) ? entry.response._error : undefined);
  if (typeof e === 'string' && e) return { code: 'IMPORTED_FAILURE', message: e };
  if (isObj(e) && typeof e.message === 'string') {
    return { code: typeof e.code === 'string' ? e.code : 'IMPORTED_FAILURE', message: e.message };
  }
  return null;
}

function requestBody(request: Obj, warnings: string[]): Uint8Array {
  const post = request.postData;
  if (!isObj(post)) return new Uint8Array(0);
  const text = readBody(post, 'request.postData');
  if (text) return text;
  if (Array.isArray(post.params) && post.params.length > 0) {
    // Only form params, no text (old Firefox): rebuild the urlencoded form.
    warnings.push('request body rebuilt from postData.params');
    const pairs = post.params.map((p: unknown) => {
      const q = isObj(p) ? p : {};
      return `${encodeURIComponent(String(q.name ?? ''))}=${encodeURIComponent(String(q.value ?? ''))}`;
    });
    return utf8Bytes(pairs.join('&'));
  }
  return new Uint8Array(0);
}

/** `_raw` (Wirelens: all bytes of a message whose head could not be parsed), decoded. */
function rawBytes(message: Obj, field: string): Uint8Array | null {
  if (typeof message._raw !== 'string') return null;
  const bytes = fromBase64(message._raw);
  if (!bytes) throw new HarFieldError(`${field}._raw`, `${field}._raw is not valid base64`);
  return bytes;
}

/** Converts one entry; throws HarFieldError naming the field when it cannot. */
export function entryFromHar(raw: unknown, index: number): ImportedExchange {
  if (!isObj(raw)) throw new HarFieldError('', 'is not an object');
  const warnings: string[] = [];
  if (!isObj(raw.request)) throw new HarFieldError('request', 'request is missing');
  const request = raw.request;
  // A message kept whole (`_raw`) may have no readable method; its bytes are what count.
  const method =
    typeof request._raw === 'string' && !request.method
      ? 'GET'
      : requireString(request, 'method', 'request.method').toUpperCase();
  const urlText = requireString(request, 'url', 'request.url');
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new HarFieldError('request.url', `request.url is not a URL: "${urlText}"`);
  }
  const proto = url.protocol.replace(':', '');
  if (!['http', 'https', 'ws', 'wss'].includes(proto)) {
    throw new HarFieldError('request.url', `request.url has unsupported scheme "${proto}"`);
  }
  let scheme: 'http' | 'https' = proto === 'https' || proto === 'wss' ? 'https' : 'http';
  let host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  // Our own export says where the request really went (may differ from the URL's host).
  const ours = raw._wirelens;
  if (isObj(ours) && typeof ours.host === 'string' && ours.host && Number.isInteger(ours.port)) {
    host = ours.host;
    port = ours.port as number;
    if (ours.scheme === 'https' || ours.scheme === 'http') scheme = ours.scheme;
  }

  const version = http1Version(request.httpVersion, warnings);
  const { headers, pseudo } = readHeaders(request.headers, 'request.headers', warnings);
  if (!headers.some(([n]) => n.toLowerCase() === 'host')) {
    headers.unshift(['Host', pseudo.get(':authority') ?? url.host]);
  }
  const body = requestBody(request, warnings);
  const framed = frameForBody(headers, body, false, warnings);
  const recorded = typeof request._startLine === 'string' ? request._startLine : null;
  const target = method === 'CONNECT' ? url.host : url.pathname + url.search;
  const startLine =
    recorded && recorded.startsWith(method + ' ') ? recorded : `${method} ${target} ${version}`;
  const requestRaw = rawBytes(request, 'request') ?? serialize(startLine, framed, body);

  let error = readError(raw);
  const response = raw.response;
  let responseRaw: Uint8Array | null = isObj(response) ? rawBytes(response, 'response') : null;
  const status = isObj(response) ? Number(response.status) : 0;
  if (responseRaw) {
    // Unparseable bytes kept whole by Wirelens (`_raw`): restored exactly.
  } else if (isObj(response) && Number.isInteger(status) && status >= 100 && status <= 999) {
    const rVersion = http1Version(response.httpVersion, []);
    const { headers: rHeaders } = readHeaders(response.headers, 'response.headers', warnings);
    const content = isObj(response.content) ? response.content : {};
    const rBody = readBody(content, 'response.content') ?? new Uint8Array(0);
    if (content.text === undefined && Number(content.size) > 0) {
      warnings.push(`response body not in the HAR (size was ${content.size} bytes)`);
    }
    let finalHeaders = rHeaders;
    const coding = rHeaders.find(([n]) => n.toLowerCase() === 'content-encoding');
    if (coding && !/^\s*identity\s*$/i.test(coding[1]) && content._decodeError === undefined) {
      finalHeaders = rHeaders.filter(([n]) => n.toLowerCase() !== 'content-encoding');
      warnings.push(`Content-Encoding: ${coding[1]} removed: HAR holds the decoded body`);
    }
    const bodyless = method === 'HEAD' || status < 200 || status === 204 || status === 304;
    finalHeaders = frameForBody(finalHeaders, rBody, bodyless, warnings);
    const statusText = typeof response.statusText === 'string' ? response.statusText : '';
    const recordedStatus = typeof response._startLine === 'string' ? response._startLine : null;
    const statusLine =
      recordedStatus && recordedStatus.includes(` ${status}`)
        ? recordedStatus
        : `${rVersion} ${status}${statusText ? ' ' + statusText : ''}`;
    responseRaw = serialize(statusLine, finalHeaders, bodyless ? new Uint8Array(0) : rBody);
  } else if (!error) {
    error = { code: 'IMPORTED_NO_RESPONSE', message: 'the HAR entry has no response' };
  }

  let start = typeof raw.startedDateTime === 'string' ? Date.parse(raw.startedDateTime) : NaN;
  if (Number.isNaN(start)) {
    warnings.push('startedDateTime is missing or invalid; the import time is used');
    start = Date.now();
  }
  const timings = timingsFromHar(start, isObj(raw.timings) ? raw.timings : {});
  const result: ImportedExchange = {
    index,
    requestRaw,
    responseRaw,
    method,
    scheme,
    host,
    port,
    timings,
    error,
    warnings,
  };
  if (typeof raw.serverIPAddress === 'string' && raw.serverIPAddress) {
    result.serverIPAddress = raw.serverIPAddress.replace(/^\[(.*)\]$/, '$1');
  }
  if (raw.connection !== undefined && raw.connection !== null && raw.connection !== '') {
    result.connection = String(raw.connection);
  }
  return result;
}

/** `entry 3: request.url is missing` */
export function skipReason(index: number, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `entry ${index}: ${message}`;
}

/**
 * The whole file: every entry that converts, and a reason for each that does not (any
 * failure in one entry, expected or not, costs only that entry).
 */
export function fromHar(text: string): HarImport {
  const entries: ImportedExchange[] = [];
  const skipped: HarImport['skipped'] = [];
  readHarEntries(text).forEach((raw, index) => {
    try {
      entries.push(entryFromHar(raw, index));
    } catch (error) {
      skipped.push({ index, reason: skipReason(index, error) });
    }
  });
  return { entries, skipped };
}
