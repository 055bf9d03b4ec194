/**
 * One complete message (bytes already recorded, or typed in the composer) split into its
 * parts and byte spans, with the lenient parser. Used by the composer, the store's views
 * and the UI's raw view.
 */
import type { BodyFraming, MessageLayout, ParseIssue, RawHeaders, Span } from '../model/exchange';
import type { MessageKind, ParsedHead } from './parser-types';
import { HttpParser } from './http-parser';
import { parseHead } from './head-parser';
import { IssueSink } from './parse-issues';
import { FieldScan } from './field-lines';
import { CR, LF, latin1, latin1Bytes } from './token-tables';

export interface SplitMessage {
  startLine: string;
  method?: string;
  target?: string;
  version: string;
  statusCode?: number;
  reason?: string;
  headers: RawHeaders;
  /** Spans into the given bytes; absent when the head could not be parsed at all. */
  layout?: MessageLayout;
  framing?: BodyFraming;
  contentLength?: number;
  /** Warnings, then the fatal issue if parsing stopped. Offsets are into the given bytes. */
  issues: ParseIssue[];
  /** The body as on the wire (same as layout.body when there is a layout). */
  body: Span;
  trailers: RawHeaders;
  /** The message ended by its framing (a close-delimited body counts as complete). */
  complete: boolean;
  /** Responses: the 1xx messages that came first, in order. */
  informational: SplitMessage[];
  /** Bytes after the end of the message (e.g. a pipelined next message), if any. */
  extra?: Span;
}

export interface SplitOptions {
  /** Responses: the request method (HEAD and CONNECT change the framing). */
  requestMethod?: string;
}

/** Splits a complete message with the lenient parser (see SplitMessage). */
export function splitMessage(
  bytes: Uint8Array,
  kind: MessageKind,
  options: SplitOptions = {},
): SplitMessage {
  const done: SplitMessage[] = [];
  let cur: SplitMessage | null = null;
  let start = 0;
  let stopped = false;
  const parser = new HttpParser(
    { kind, mode: 'lenient', maxHeadBytes: Math.max(65536, bytes.length + 1) },
    {
      onHead(head, at) {
        start = at;
        cur = fromHead(head, at);
      },
      onMessageEnd(end) {
        const m = cur as SplitMessage;
        m.body.end = m.body.start + end.wireBodyLength;
        m.trailers = end.trailers;
        for (const w of end.warnings) m.issues.push({ ...w, offset: w.offset + start });
        m.complete = true;
        done.push(m);
        cur = null;
        const s = m.statusCode ?? 0;
        // Stop after the first request, or the first final response.
        if (kind === 'request' || s < 100 || s >= 200) {
          stopped = true;
          parser.pause();
        }
      },
      onError(issue, at) {
        if (cur === null) {
          cur = headForDisplay(bytes, at, kind, options.requestMethod ?? 'GET');
          if (cur === null) {
            cur = unparsed(bytes, at);
            cur.issues.push({ ...issue, offset: issue.offset + at });
          }
        } else {
          cur.issues.push({ ...issue, offset: issue.offset + at });
        }
        cur.body.end = bytes.length;
        done.push(cur);
        cur = null;
        stopped = true;
      },
    },
  );
  if (options.requestMethod !== undefined) parser.expectResponseTo(options.requestMethod);
  parser.push(bytes);
  if (!stopped) parser.end();
  if (cur !== null) done.push(cur); // unreachable in practice: end() completes or errors
  const last = done.pop() ?? unparsed(bytes, 0);
  last.informational = done;
  const used = parser.offset;
  if (last.complete && used < bytes.length) last.extra = { start: used, end: bytes.length };
  return last;
}

function fromHead(head: ParsedHead, at: number): SplitMessage {
  const shift = (s: Span): Span => ({ start: s.start + at, end: s.end + at });
  const body = { start: at + head.headLength, end: at + head.headLength };
  const m: SplitMessage = {
    startLine: head.startLine,
    version: head.version,
    headers: head.headers,
    layout: {
      startLine: shift(head.spans.startLine),
      headerLines: head.spans.headerLines.map(shift),
      headerBlock: shift(head.spans.headerBlock),
      body,
    },
    framing: head.framing,
    issues: head.warnings.map((w) => ({ ...w, offset: w.offset + at })),
    body,
    trailers: [],
    complete: false,
    informational: [],
  };
  if (head.method !== undefined) m.method = head.method;
  if (head.target !== undefined) m.target = head.target;
  if (head.statusCode !== undefined) m.statusCode = head.statusCode;
  if (head.reason !== undefined) m.reason = head.reason;
  if (head.contentLength !== undefined) m.contentLength = head.contentLength;
  return m;
}

/**
 * After a fatal head error (e.g. an invalid Content-Length), parse the head again for
 * display only, so the user still sees its lines. Null when there is no complete head.
 */
function headForDisplay(
  bytes: Uint8Array,
  at: number,
  kind: MessageKind,
  requestMethod: string,
): SplitMessage | null {
  let ls = at;
  for (;;) {
    const lf = bytes.indexOf(LF, ls);
    if (lf < 0) return null;
    if (ls > at && (lf === ls || (lf === ls + 1 && bytes[ls] === CR))) {
      const ctx = { kind, maxHeaderCount: Infinity, requestMethod, displayOnly: true };
      try {
        const head = parseHead(bytes, at, lf + 1, ctx, new IssueSink('lenient'), new FieldScan());
        return head === null ? null : fromHead(head, at);
      } catch {
        return null;
      }
    }
    ls = lf + 1;
  }
}

/** A head that could not be parsed: keep its first line for display, no layout. */
function unparsed(bytes: Uint8Array, at: number): SplitMessage {
  let lf = bytes.indexOf(LF, at);
  if (lf < 0) lf = bytes.length;
  const ce = lf > at && bytes[lf - 1] === CR ? lf - 1 : lf;
  return {
    startLine: latin1(bytes, at, ce),
    version: '',
    headers: [],
    issues: [],
    body: { start: bytes.length, end: bytes.length },
    trailers: [],
    complete: false,
    informational: [],
  };
}

export interface RawTextSplit {
  /** The head re-encoded with CRLF line endings, ending with the empty line. */
  head: Uint8Array;
  /** Everything after the first empty line, UTF-8 encoded, line endings untouched. */
  body: Uint8Array;
  message: SplitMessage;
}

/**
 * For the composer's raw editor. The head is taken as latin1 (one char = one byte; a
 * character above U+00FF becomes `?` and is reported as INVALID_HEADER_VALUE), its line
 * endings are normalized to CRLF; the body is everything after the first empty line,
 * encoded as UTF-8 and kept as typed, whatever the headers say (the sender can then fix
 * Content-Length). `message` is splitMessage over `head + body`.
 */
export function splitRawText(text: string, kind: MessageKind = 'request'): RawTextSplit {
  const m = /\r?\n\r?\n/.exec(text);
  const headText = m === null ? text.replace(/\r?\n$/, '') : text.slice(0, m.index);
  const bodyText = m === null ? '' : text.slice(m.index + m[0].length);
  const headLines = headText.split(/\r?\n/);
  const head = latin1Bytes(headLines.join('\r\n') + '\r\n\r\n');
  const body = new TextEncoder().encode(bodyText);
  const all = new Uint8Array(head.length + body.length);
  all.set(head);
  all.set(body, head.length);
  const message = splitMessage(all, kind);
  // Whatever the framing says, the composer's body is what was typed after the head.
  message.body = { start: head.length, end: all.length };
  if (message.layout !== undefined) message.layout.body = message.body;
  delete message.extra;
  let offset = 0;
  for (const line of headLines) {
    for (let i = 0; i < line.length; i++) {
      if (line.charCodeAt(i) > 0xff) {
        message.issues.push({
          code: 'INVALID_HEADER_VALUE',
          message: `character "${line[i]}" is not latin1; sent as "?"`,
          offset: offset + i,
        });
      }
    }
    offset += line.length + 2;
  }
  return { head, body, message };
}
