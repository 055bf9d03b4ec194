/**
 * A hand-written JSON writer for message records, the largest records written per
 * exchange. Same JSON shape as `JSON.stringify` (strings still go through it, so escaping
 * is exact); numbers that are not finite become `null`, as JSON.stringify does.
 */
import type { RawHeaders, Span } from '../../../shared/model/exchange';
import { jsonNumber as num, jsonString } from './json-text';
import type { LoggedMessage } from './log-format';

const str = (s: string): string => jsonString(String(s));

function spanJson(s: Span): string {
  return `{"start":${num(s.start)},"end":${num(s.end)}}`;
}

function headersJson(headers: RawHeaders): string {
  let out = '[';
  for (let i = 0; i < headers.length; i++) {
    if (i > 0) out += ',';
    out += `[${str(headers[i][0])},${str(headers[i][1])}]`;
  }
  return out + ']';
}

export function messageJson(m: LoggedMessage): string {
  let out = `{"startLine":${str(m.startLine)},"headers":${headersJson(m.headers)}`;
  out += `,"issues":${m.issues.length === 0 ? '[]' : JSON.stringify(m.issues)}`;
  out += `,"complete":${m.complete ? 'true' : 'false'}`;
  const layout = m.layout;
  if (layout) {
    let lines = '';
    for (let i = 0; i < layout.headerLines.length; i++) {
      lines += (i > 0 ? ',' : '') + spanJson(layout.headerLines[i]);
    }
    out +=
      `,"layout":{"startLine":${spanJson(layout.startLine)},"headerLines":[${lines}]` +
      `,"headerBlock":${spanJson(layout.headerBlock)},"body":${spanJson(layout.body)}}`;
  }
  if (m.framing !== undefined) out += `,"framing":${str(m.framing)}`;
  if (m.trailers !== undefined) out += `,"trailers":${headersJson(m.trailers)}`;
  return out + '}';
}
