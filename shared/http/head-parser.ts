/**
 * Parses one complete head (start line + header block, already delimited by the stream
 * parser) into a ParsedHead. Throws ParseFailure on a fatal issue.
 */
import type { MessageKind, ParsedHead } from './parser-types';
import { CR, LF, SP, HT, TOKEN, TARGET, REASON } from './token-tables';
import { IssueSink, ParseFailure } from './parse-issues';
import {
  FieldScan,
  buildFields,
  framingFields,
  hex,
  lineContentEnd,
  scanFields,
} from './field-lines';
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
 * Parses the head starting at `buf[start]`, if it ends (with its empty line) before
 * `limit`; returns null when it does not. Violations found before that is known are
 * thrown anyway: the caller decides whether they count (see HttpParser).
 */
export function parseHead(
  buf: Uint8Array,
  start: number,
  limit: number,
  ctx: HeadContext,
  sink: IssueSink,
  scan: FieldScan,
): ParsedHead | null {
  const progress = startHead(buf, start, limit, ctx, sink);
  if (progress === null) return null;
  scan.reset();
  return finishHead(buf, start, limit, ctx, progress, scan);
}

/**
 * A head parsed up to its last complete field line: what a push that ended mid-head
 * leaves, so the rest is not parsed twice (see HttpParser's head buffering).
 */
export interface HeadProgress {
  line: StartLine;
  lf: number;
  ce: number;
  sink: IssueSink;
  /** Where the first incomplete field line starts. */
  resumeAt: number;
}

/** Parses the start line; null when it does not end before `limit`. */
export function startHead(
  buf: Uint8Array,
  start: number,
  limit: number,
  ctx: HeadContext,
  sink: IssueSink,
): HeadProgress | null {
  sink.base = start;
  const lf = buf.indexOf(LF, start);
  if (lf < 0 || lf >= limit) return null;
  const ce = lineContentEnd(buf, start, lf, sink);
  // A native search first: the usual first CR is the one ending the line.
  const cr = buf.indexOf(CR, start);
  if (cr >= 0 && cr < ce) {
    for (let k = cr; k < ce; k++) {
      if (buf[k] === CR) sink.violation('BARE_CR', 'CR not followed by LF', k);
    }
  }
  const line =
    ctx.kind === 'request' ? requestLine(buf, start, ce, sink) : statusLine(buf, start, ce, sink);
  return { line, lf, ce, sink, resumeAt: lf + 1 };
}

/** Moves a progress (and its scan) to a buffer where the head starts at `start - delta`. */
export function rebaseHead(p: HeadProgress, delta: number, scan: FieldScan): void {
  const l = p.line;
  l.ms -= delta;
  l.me -= delta;
  l.ts -= delta;
  l.te -= delta;
  l.rs -= delta;
  l.re -= delta;
  l.vs -= delta;
  l.ve -= delta;
  p.lf -= delta;
  p.ce -= delta;
  p.resumeAt -= delta;
  p.sink.base -= delta;
  scan.rebase(delta);
}

/**
 * Scans the field lines from `p.resumeAt`; builds the head when its empty line comes
 * before `limit`, else records where to resume and returns null.
 */
export function finishHead(
  buf: Uint8Array,
  start: number,
  limit: number,
  ctx: HeadContext,
  p: HeadProgress,
  scan: FieldScan,
): ParsedHead | null {
  const { line, lf, ce, sink } = p;
  const end = scanFields(buf, p.resumeAt, limit, sink, scan, ctx.maxHeaderCount);
  if (end < 0) {
    // The incomplete line is scanned again next time: forget what it reported.
    p.resumeAt = scan.resumeAt;
    sink.warnings.length = scan.warnMark;
    return null;
  }
  // Field bytes were checked while scanning; only the start line may hide obs-text.
  sink.setText(buf, start, end, scan.high ? end : line.high ? ce : start);
  const { headers, spans: headerLines } = buildFields(scan, sink);

  const statusCode = line.code;
  const method = sink.str(line.ms, line.me);
  const facts = {
    kind: ctx.kind,
    method: ctx.kind === 'request' ? method : ctx.requestMethod,
    statusCode,
    http10: line.http10,
    headers,
    spans: headerLines,
    fields: framingFields(buf, scan),
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
    startLine: sink.str(start, ce),
    version: sink.str(line.vs, line.ve),
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
    head.method = method;
    head.target = sink.str(line.ts, line.te);
  } else {
    head.statusCode = statusCode;
    head.reason = sink.str(line.rs, line.re);
  }
  if (framing.contentLength !== undefined) head.contentLength = framing.contentLength;
  return head;
}

/** Positions of the start line's parts (a request has no reason, a response no method). */
interface StartLine {
  ms: number;
  me: number;
  ts: number;
  te: number;
  code: number;
  rs: number;
  re: number;
  vs: number;
  ve: number;
  http10: boolean;
  /** The line may hold bytes >= 0x80 (then the text needs the careful decode). */
  high: boolean;
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
  const me = i;
  i = skipSpaces(buf, i, ce, sink);
  const ts = i;
  while (i < ce && buf[i] !== SP) {
    if (TARGET[buf[i]] === 0) {
      sink.violation('INVALID_REQUEST_LINE', `invalid byte 0x${hex(buf[i])} in request target`, i);
    }
    i++;
  }
  if (i === ts) sink.violation('INVALID_REQUEST_LINE', 'missing request target', i);
  const te = i;
  if (i >= ce) {
    sink.violation('INVALID_REQUEST_LINE', 'missing HTTP version', i);
    return {
      ms: ls,
      me,
      ts,
      te,
      code: 0,
      rs: ce,
      re: ce,
      vs: ce,
      ve: ce,
      http10: true,
      high: true,
    };
  }
  i = skipSpaces(buf, i, ce, sink);
  let ve = ce;
  if (sink.mode === 'lenient') while (ve > i && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
  const http10 = version(buf, i, ve, sink);
  // Valid method, target and version bytes are all ASCII; only a tolerated violation
  // (lenient mode) can let other bytes through.
  const high = sink.warnings.length > 0;
  return { ms: ls, me, ts, te, code: 0, rs: ce, re: ce, vs: i, ve, http10, high };
}

/** `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 §4). */
function statusLine(buf: Uint8Array, ls: number, ce: number, sink: IssueSink): StartLine {
  let i = ls;
  while (i < ce && buf[i] !== SP) i++;
  const http10 = version(buf, ls, i, sink);
  const ve = i;
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
  let high = false;
  for (let k = rs; k < ce; k++) {
    const t = REASON[buf[k]];
    if (t === 2) high = true;
    else if (t === 0) {
      sink.violation('INVALID_STATUS_LINE', `invalid byte 0x${hex(buf[k])} in reason phrase`, k);
    }
  }
  high ||= sink.warnings.length > 0;
  return { ms: ls, me: ls, ts: ls, te: ls, code, rs, re: ce, vs: ls, ve, http10, high };
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

/**
 * `HTTP/` DIGIT `.` DIGIT with major version 1 (this is an HTTP/1.x engine).
 * Returns whether persistence is opt-in (HTTP/1.0 or an unknown version).
 */
function version(buf: Uint8Array, vs: number, ve: number, sink: IssueSink): boolean {
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
  if (ok) return buf[vs + 7] === 0x30;
  let text = '';
  for (let k = vs; k < ve && k < vs + 32; k++) text += String.fromCharCode(buf[k]);
  sink.violation('INVALID_VERSION', `invalid HTTP version "${text}"`, vs);
  const m = /^http\/(\d+)\.(\d+)$/i.exec(text);
  return m === null || (Number(m[1]) === 1 && Number(m[2]) === 0) || Number(m[1]) < 1;
}
