/**
 * The `x` record of a finished exchange (./log-format.ts), written straight into bytes
 * (./json-bytes.ts): it is the one record per exchange on the proxy's hot path. Same
 * text as `JSON.stringify` of the record, with the messages last so a replay can stop
 * before them; the request and response compact (./head-spans.ts) when their head bytes
 * give them back.
 */
import type { Span, Timings } from '../../../shared/model/exchange';
import type { ExchangeEntry } from './exchange-entry';
import type { EndRow, ExchangeRecord, LoggedMessage } from './log-format';
import { ascii, JsonBytes } from './json-bytes';
import { messageJson } from './message-json';
import { derivable } from './head-spans';

/** `"key":` of each Timings key, encoded once. */
const TIMING_KEYS = new Map<string, Uint8Array>(
  [
    'start',
    'dnsStart',
    'dnsEnd',
    'connectStart',
    'connectEnd',
    'tlsStart',
    'tlsEnd',
    'requestEnd',
    'responseStart',
    'responseEnd',
  ].map((key) => [key, ascii(`"${key}":`)]),
);

const K = {
  id: ascii('{"t":"x","id":'),
  connectionId: ascii(',"connectionId":'),
  indexOnConnection: ascii(',"indexOnConnection":'),
  source: ascii(',"source":'),
  state: ascii(',"state":'),
  at: ascii(',"at":'),
  timings: ascii(',"timings":{'),
  warnings: ascii('},"warnings":'),
  error: ascii(',"error":'),
  tunnel: ascii(',"tunnel":{"bytesUp":'),
  bytesDown: ascii(',"bytesDown":'),
  rangesQ: ascii(',"ranges":{"q":['),
  rangesR: ascii('],"r":['),
  method: ascii(']},"row":{"method":'),
  path: ascii(',"path":'),
  scheme: ascii(',"scheme":'),
  host: ascii(',"host":'),
  port: ascii(',"port":'),
  status: ascii(',"status":'),
  contentType: ascii(',"contentType":'),
  malformed: ascii(',"malformed":'),
  qh: ascii(',"qh":'),
  rs: ascii(',"rs":'),
  rh: ascii(',"rh":'),
  q: ascii(',"m":{"q":'),
  r: ascii(',"r":'),
  i: ascii(',"i":['),
  end: ascii(']}}'),
  spans: ascii('{"spans":['),
  issues: ascii('],"issues":'),
  complete: ascii(',"complete":'),
  framing: ascii(',"framing":'),
  trailers: ascii(',"trailers":'),
  emptyList: ascii('[]'),
  true: ascii('true'),
  false: ascii('false'),
  null: ascii('null'),
};

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BRACE = 0x7d;

function timings(out: JsonBytes, t: Timings): void {
  let first = true;
  for (const key in t) {
    const value = t[key as keyof Timings];
    if (value === undefined) continue;
    if (!first) out.char(COMMA);
    first = false;
    const name = TIMING_KEYS.get(key);
    if (name) out.raw(name);
    else {
      out.str(key);
      out.char(0x3a);
    }
    out.num(value);
  }
}

function ranges(out: JsonBytes, list: Array<[number, number]>): void {
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out.char(COMMA);
    out.char(OPEN);
    out.num(list[i][0]);
    out.char(COMMA);
    out.num(list[i][1]);
    out.char(CLOSE);
  }
}

/** The list-row fields (`rowOf`), read straight from the entry. */
function row(out: JsonBytes, r: ExchangeEntry): void {
  out.strField(K.method, r.method);
  out.strField(K.path, r.path);
  out.strField(K.scheme, r.scheme);
  out.strField(K.host, r.host);
  out.numField(K.port, r.port);
  out.raw(K.status);
  out.numOrNull(r.status);
  out.strField(K.contentType, r.contentType);
  out.raw(K.malformed);
  out.raw(r.malformed ? K.true : K.false);
  out.numField(K.qh, r.requestHeadLength);
  out.numField(K.rs, r.responseHeadStart);
  out.numField(K.rh, r.responseHeadLength);
  out.char(BRACE);
}

function startEnd(out: JsonBytes, span: Span): void {
  out.num(span.start);
  out.char(COMMA);
  out.num(span.end);
}

/**
 * A message as a CompactMessage (./log-format.ts): its spans, not its strings. The caller
 * checked that its head bytes give them back (`derivable`).
 */
export function writeCompactMessage(out: JsonBytes, m: LoggedMessage): void {
  const l = m.layout!;
  out.raw(K.spans);
  startEnd(out, l.startLine);
  out.char(COMMA);
  startEnd(out, l.headerBlock);
  out.char(COMMA);
  startEnd(out, l.body);
  for (const line of l.headerLines) {
    out.char(COMMA);
    startEnd(out, line);
  }
  if (m.issues.length > 0) {
    out.raw(K.issues);
    out.text(JSON.stringify(m.issues));
  } else out.char(CLOSE);
  out.raw(K.complete);
  out.raw(m.complete ? K.true : K.false);
  if (m.framing !== undefined) {
    out.raw(K.framing);
    out.str(m.framing);
  }
  if (m.trailers !== undefined) {
    out.raw(K.trailers);
    out.text(JSON.stringify(m.trailers));
  }
  out.char(BRACE);
}

/** A request or response, compact when its head bytes (the side's first piece) give it back. */
function side(out: JsonBytes, m: LoggedMessage | null, pieces: Uint8Array[] | undefined): void {
  if (m === null) out.raw(K.null);
  else if (pieces !== undefined && pieces.length > 0 && derivable(m, pieces[0]))
    writeCompactMessage(out, m);
  else out.text(messageJson(m));
}

/** The list-row fields of an exchange (also in `end` records). */
export function rowOf(entry: ExchangeEntry): EndRow {
  return {
    method: entry.method,
    path: entry.path,
    scheme: entry.scheme,
    host: entry.host,
    port: entry.port,
    status: entry.status,
    contentType: entry.contentType,
    malformed: entry.malformed,
    qh: entry.requestHeadLength,
    rs: entry.responseHeadStart,
    rh: entry.responseHeadLength,
  };
}

/** The `x` line (without newline) of an exchange still holding its live state. */
export function exchangeLine(
  out: JsonBytes,
  entry: ExchangeEntry,
  state: ExchangeRecord['state'],
  at: number,
): Uint8Array {
  const live = entry.live!;
  out.numField(K.id, entry.id);
  out.numField(K.connectionId, entry.connectionId);
  out.numField(K.indexOnConnection, entry.indexOnConnection);
  out.strField(K.source, entry.source);
  out.strField(K.state, state);
  out.numField(K.at, at);
  out.raw(K.timings);
  timings(out, live.timings);
  out.raw(K.warnings);
  if (live.warnings.length === 0) out.raw(K.emptyList);
  else out.text(JSON.stringify(live.warnings));
  out.raw(K.error);
  if (entry.error === null) out.raw(K.null);
  else out.text(JSON.stringify(entry.error));
  if (live.tunnel) {
    out.numField(K.tunnel, live.tunnel.bytesUp);
    out.numField(K.bytesDown, live.tunnel.bytesDown);
    out.char(BRACE);
  }
  out.raw(K.rangesQ);
  ranges(out, live.ranges.q);
  out.raw(K.rangesR);
  ranges(out, live.ranges.r);
  row(out, entry);
  out.raw(K.q);
  side(out, live.request, live.memory?.q);
  out.raw(K.r);
  side(out, live.response, live.memory?.r);
  out.raw(K.i);
  for (let i = 0; i < live.informational.length; i++) {
    if (i > 0) out.char(COMMA);
    out.text(messageJson(live.informational[i]));
  }
  out.raw(K.end);
  return out.end();
}
