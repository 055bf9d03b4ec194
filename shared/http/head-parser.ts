/**
 * Parses one complete head (start line + header block, already delimited by the stream
 * parser) into a ParsedHead. Throws ParseFailure on a fatal issue.
 */
import type { RawHeaders, Span } from '../model/exchange';
import type { MessageKind, ParsedHead } from './parser-types';
import { CR, LF, SP, HT, TOKEN, TARGET, REASON, latin1 } from './token-tables';
import { IssueSink, ParseFailure } from './parse-issues';
import { hex, lineContentEnd, parseFieldLines } from './field-lines';
import { decideFraming, type FramingResult } from './header-rules';

export interface HeadContext {
  kind: MessageKind;
  maxHeaderCount: number;
  /** Response parsers: the method of the request this response answers. */
  requestMethod: string;
  /** splitMessage: framing errors become warnings (framing `none`) instead of failing. */
  displayOnly?: boolean;
}

/**
 * `buf[start..end)` is the whole head, ending with the empty line's LF.
 */
export function parseHead(
  buf: Uint8Array,
  start: number,
  end: number,
  ctx: HeadContext,
  sink: IssueSink,
): ParsedHead {
  sink.base = start;
  const lf = buf.indexOf(LF, start);
  const ce = lineContentEnd(buf, start, lf, sink);
  for (let k = start; k < ce; k++) {
    if (buf[k] === CR) sink.violation('BARE_CR', 'CR not followed by LF', k);
  }
  const line =
    ctx.kind === 'request' ? requestLine(buf, start, ce, sink) : statusLine(buf, start, ce, sink);

  // The empty line: its LF is at end-1, preceded by CR unless bare.
  const emptyStart = end >= 2 && buf[end - 2] === CR && end - 2 > lf ? end - 2 : end - 1;
  const headers: RawHeaders = [];
  const headerLines: Span[] = [];
  parseFieldLines(buf, lf + 1, emptyStart, sink, headers, headerLines, ctx.maxHeaderCount);
  if (emptyStart === end - 1)
    sink.violation('BARE_LF', 'empty line ends with LF without CR', end - 1);

  const statusCode = line.statusCode ?? 0;
  const facts = {
    kind: ctx.kind,
    method: ctx.kind === 'request' ? (line.method ?? '') : ctx.requestMethod,
    statusCode,
    http10: line.http10,
    headers,
    spans: headerLines,
  };
  let framing: FramingResult;
  try {
    framing = decideFraming(facts, sink);
  } catch (e) {
    if (!ctx.displayOnly || !(e instanceof ParseFailure)) throw e;
    // For display, an unframeable head is still a head: keep it, note why, no body.
    sink.warnings.push(e.issue);
    framing = { framing: 'none', keepAlive: false, upgrade: false };
  }

  const head: ParsedHead = {
    kind: ctx.kind,
    startLine: latin1(buf, start, ce),
    version: line.version,
    headers,
    spans: {
      startLine: { start: 0, end: ce - start },
      headerLines,
      headerBlock: { start: lf + 1 - start, end: end - start },
    },
    headLength: end - start,
    framing: framing.framing,
    keepAlive: framing.keepAlive,
    upgrade: framing.upgrade,
    warnings: sink.warnings,
  };
  if (ctx.kind === 'request') {
    head.method = line.method;
    head.target = line.target;
  } else {
    head.statusCode = statusCode;
    head.reason = line.reason;
  }
  if (framing.contentLength !== undefined) head.contentLength = framing.contentLength;
  return head;
}

interface StartLine {
  method?: string;
  target?: string;
  statusCode?: number;
  reason?: string;
  version: string;
  http10: boolean;
}

/** `method SP request-target SP HTTP-version` (RFC 9112 §3). */
function requestLine(buf: Uint8Array, ls: number, ce: number, sink: IssueSink): StartLine {
  let i = ls;
  while (i < ce && TOKEN[buf[i]] === 1) i++;
  if (i === ls || (i < ce && buf[i] !== SP)) {
    const what = i < ce ? `invalid byte 0x${hex(buf[i])} in method` : 'missing method';
    sink.violation('INVALID_METHOD', what, i);
    while (i < ce && buf[i] !== SP) i++;
  }
  const method = latin1(buf, ls, i);
  i = skipSpaces(buf, i, ce, sink);
  const ts = i;
  while (i < ce && buf[i] !== SP) {
    if (TARGET[buf[i]] === 0 && buf[i] !== HT) {
      sink.violation('INVALID_REQUEST_LINE', `invalid byte 0x${hex(buf[i])} in request target`, i);
    }
    i++;
  }
  if (i === ts) sink.violation('INVALID_REQUEST_LINE', 'missing request target', i);
  const target = latin1(buf, ts, i);
  if (i >= ce) {
    sink.violation('INVALID_REQUEST_LINE', 'missing HTTP version', i);
    return { method, target, version: '', http10: true };
  }
  i = skipSpaces(buf, i, ce, sink);
  let ve = ce;
  if (sink.mode === 'lenient') while (ve > i && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
  const v = version(buf, i, ve, sink);
  return { method, target, ...v };
}

/** `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 §4). */
function statusLine(buf: Uint8Array, ls: number, ce: number, sink: IssueSink): StartLine {
  let i = ls;
  while (i < ce && buf[i] !== SP) i++;
  const v = version(buf, ls, i, sink);
  i = skipSpaces(buf, i, ce, sink, 'INVALID_STATUS_LINE');
  const ds = i;
  let code = 0;
  while (i < ce && buf[i] >= 0x30 && buf[i] <= 0x39 && i - ds < 3)
    code = code * 10 + buf[i++] - 0x30;
  if (i - ds !== 3 || (i < ce && buf[i] !== SP)) {
    sink.violation('INVALID_STATUS_LINE', 'status code must be three digits', ds);
  }
  // A missing SP after the code ("HTTP/1.1 200") is common and harmless: accepted.
  let rs = i < ce ? i + 1 : ce;
  if (sink.mode === 'lenient') while (rs < ce && (buf[rs] === SP || buf[rs] === HT)) rs++;
  for (let k = rs; k < ce; k++) {
    if (REASON[buf[k]] === 0) {
      sink.violation('INVALID_STATUS_LINE', `invalid byte 0x${hex(buf[k])} in reason phrase`, k);
    }
  }
  return { statusCode: code, reason: latin1(buf, rs, ce), ...v };
}

/** Exactly one SP separates start-line parts; lenient mode tolerates runs of SP/HT. */
function skipSpaces(
  buf: Uint8Array,
  i: number,
  ce: number,
  sink: IssueSink,
  code: 'INVALID_REQUEST_LINE' | 'INVALID_STATUS_LINE' = 'INVALID_REQUEST_LINE',
): number {
  if (i < ce && buf[i] === SP) i++;
  if (i < ce && (buf[i] === SP || buf[i] === HT)) {
    sink.violation(code, 'extra whitespace in start line', i);
    while (i < ce && (buf[i] === SP || buf[i] === HT)) i++;
  }
  return i;
}

/** `HTTP/` DIGIT `.` DIGIT with major version 1 (this is an HTTP/1.x engine). */
function version(
  buf: Uint8Array,
  vs: number,
  ve: number,
  sink: IssueSink,
): { version: string; http10: boolean } {
  const text = latin1(buf, vs, ve);
  const ok =
    ve - vs === 8 &&
    buf[vs] === 0x48 &&
    buf[vs + 1] === 0x54 &&
    buf[vs + 2] === 0x54 &&
    buf[vs + 3] === 0x50 &&
    buf[vs + 4] === 0x2f &&
    buf[vs + 5] === 0x31 &&
    buf[vs + 6] === 0x2e &&
    buf[vs + 7] >= 0x30 &&
    buf[vs + 7] <= 0x39;
  if (ok) return { version: text, http10: buf[vs + 7] === 0x30 };
  sink.violation('INVALID_VERSION', `invalid HTTP version "${text}"`, vs);
  const m = /^http\/(\d+)\.(\d+)$/i.exec(text);
  const http10 = m === null || (Number(m[1]) === 1 && Number(m[2]) === 0) || Number(m[1]) < 1;
  return { version: text, http10 };
}
