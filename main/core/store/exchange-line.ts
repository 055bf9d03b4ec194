/**
 * The `x` record of a finished exchange (./log-format.ts), written by hand: it is the one
 * record per exchange on the proxy's hot path. Same text as `JSON.stringify` of the
 * record (strings still go through it, so escaping is exact; numbers that are not finite
 * become `null`), with the messages last so a replay can stop before them.
 */
import type { Timings, WirelensError } from '../../../shared/model/exchange';
import type { ExchangeEntry } from './exchange-entry';
import type { ByteRanges, EndRow, ExchangeRecord, LoggedMessage } from './log-format';
import { jsonNumber as num, jsonString as str } from './json-text';
import { compactMessageJson, messageJson } from './message-json';
import { derivable } from './head-spans';

const TIMING_KEYS: ReadonlySet<string> = new Set([
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
]);

/** Timings without their undefined keys (a live exchange's timings has every key). */
function timingsJson(timings: Timings): string {
  let out = '{';
  for (const key in timings) {
    const value = timings[key as keyof Timings];
    if (value === undefined) continue;
    // Timings' own keys are plain identifiers: no escaping to check.
    const name = TIMING_KEYS.has(key) ? '"' + key + '"' : str(key);
    out += (out.length > 1 ? ',' : '') + name + ':' + num(value);
  }
  return out + '}';
}

function rangesJson(ranges: ByteRanges): string {
  let out = '[';
  for (let i = 0; i < ranges.length; i++) {
    out += `${i > 0 ? ',' : ''}[${num(ranges[i][0])},${num(ranges[i][1])}]`;
  }
  return out + ']';
}

function rowJson(row: EndRow): string {
  return (
    `{"method":${str(row.method)},"path":${str(row.path)},"scheme":${str(row.scheme)}` +
    `,"host":${str(row.host)},"port":${num(row.port)},"status":${row.status === null ? 'null' : num(row.status)}` +
    `,"contentType":${row.contentType === null ? 'null' : str(row.contentType)}` +
    `,"malformed":${row.malformed ? 'true' : 'false'},"qh":${num(row.qh)},"rs":${num(row.rs)},"rh":${num(row.rh)}}`
  );
}

function errorJson(error: WirelensError | null): string {
  return error === null ? 'null' : JSON.stringify(error);
}

/** A request or response, compact when its head bytes (the side's first piece) give it back. */
function sideJson(m: LoggedMessage | null, pieces: Uint8Array[] | undefined): string {
  if (m === null) return 'null';
  return pieces !== undefined && pieces.length > 0 && derivable(m, pieces[0])
    ? compactMessageJson(m)
    : messageJson(m);
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
  entry: ExchangeEntry,
  state: ExchangeRecord['state'],
  at: number,
): string {
  const live = entry.live!;
  let out =
    `{"t":"x","id":${entry.id},"connectionId":${num(entry.connectionId)}` +
    `,"indexOnConnection":${num(entry.indexOnConnection)},"source":${str(entry.source)}` +
    `,"state":${str(state)},"at":${num(at)},"timings":${timingsJson(live.timings)}` +
    `,"warnings":${live.warnings.length === 0 ? '[]' : JSON.stringify(live.warnings)}` +
    `,"error":${errorJson(entry.error)}`;
  if (live.tunnel) {
    out += `,"tunnel":{"bytesUp":${num(live.tunnel.bytesUp)},"bytesDown":${num(live.tunnel.bytesDown)}}`;
  }
  out +=
    `,"ranges":{"q":${rangesJson(live.ranges.q)},"r":${rangesJson(live.ranges.r)}}` +
    `,"row":${rowJson(rowOf(entry))}`;
  let informational = '';
  for (let i = 0; i < live.informational.length; i++) {
    informational += (i > 0 ? ',' : '') + messageJson(live.informational[i]);
  }
  return (
    out +
    `,"m":{"q":${sideJson(live.request, live.memory?.q)},"r":${sideJson(live.response, live.memory?.r)}` +
    `,"i":[${informational}]}}`
  );
}
