/**
 * The request head as forwarded upstream: request line in origin-form, hop-by-hop headers
 * removed (RFC 9110 §7.6.1), Host replaced for absolute-form requests (RFC 9112 §3.2.2),
 * every other header line copied byte for byte from what the client sent, in order.
 */
import type { ParsedHead } from '../../../shared/http/parser-types';
import type { RequestTarget } from './request-target';

const ALWAYS_HOP: ReadonlySet<string> = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** Names (lower case) that must not be forwarded for this message. */
export function hopByHopNames(head: ParsedHead, keepUpgrade: boolean): ReadonlySet<string> {
  let names: Set<string> | null = null;
  for (const [name, value] of head.headers) {
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    names ??= new Set(ALWAYS_HOP);
    for (const token of value.split(',')) {
      const t = token.trim().toLowerCase();
      if (t) names.add(t);
    }
  }
  if (!keepUpgrade) return names ?? ALWAYS_HOP; // the common case: no copy
  // An upgrade only works if the origin sees both `Connection: upgrade` and `Upgrade`.
  names ??= new Set(ALWAYS_HOP);
  names.delete('connection');
  names.delete('upgrade');
  return names;
}

/**
 * RFC 9112 §2.3: an intermediary sends its own HTTP version. HTTP/1.0 stays 1.0 (its
 * framing and keep-alive rules differ); any other 1.x minor version goes on as HTTP/1.1.
 */
function forwardVersion(version: string): string {
  return version === 'HTTP/1.0' ? version : 'HTTP/1.1';
}

/**
 * Whether the Host line is already `Host: <authority>` (one SP, same bytes): then the
 * replacement would write the same bytes, and the line can stay in its run of kept lines.
 */
function hostLineIs(
  raw: Uint8Array,
  span: { start: number; end: number },
  name: string,
  value: string,
  authority: string,
): boolean {
  return (
    value === authority &&
    span.end - span.start === name.length + 2 + authority.length &&
    raw[span.start + name.length + 1] === 0x20
  );
}

/**
 * @param raw the received head bytes (start line to the empty line, offsets as in `head.spans`)
 */
export function buildForwardHead(
  raw: Uint8Array,
  head: ParsedHead,
  target: RequestTarget,
  keepUpgrade: boolean,
): Buffer {
  const drop = hopByHopNames(head, keepUpgrade);
  // What to write, in order: strings (latin1 text) and ranges of `raw` (start, end).
  const segs: Array<string | number> = [
    `${head.method} ${target.originForm} ${forwardVersion(head.version)}\r\n`,
  ];
  let hostWritten = false;
  let lengthWritten = false;
  // Kept lines are contiguous in `raw` (with their CRLFs): each run of them is copied as
  // one range, ended by the first line that is dropped or rewritten. The usual head is
  // one run: the request line, then the header block as received.
  const lines = head.spans.headerLines;
  let runStart = -1;
  let runEnd = -1;
  const headers = head.headers;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    const lower = name.toLowerCase();
    let replacement: string | null = null;
    let keep = !drop.has(lower);
    const span = lines[i];
    if (keep && lower === 'content-length') {
      // Identical duplicates (`5, 5` or two fields) are accepted (RFC 9110 §8.6) but must
      // leave as one field: a downstream that refuses duplicates would otherwise disagree.
      if (lengthWritten) keep = false;
      else if (headers[i][1].includes(',')) replacement = `${name}: ${head.contentLength}\r\n`;
      lengthWritten = true;
    } else if (keep && lower === 'host') {
      if (hostWritten)
        keep = false; // strict parsing already refused duplicates; belt and braces
      else if (target.absolute && !hostLineIs(raw, span, name, headers[i][1], target.authority))
        replacement = `${name}: ${target.authority}\r\n`;
      hostWritten = true;
    }
    if (keep && replacement === null) {
      // The line's CRLF follows its span; a run continues if this line starts where the
      // previous one's CRLF ended.
      if (
        runStart >= 0 &&
        span.start === runEnd + 2 &&
        raw[runEnd] === 13 &&
        raw[runEnd + 1] === 10
      )
        runEnd = span.end;
      else {
        if (runStart >= 0) pushRun(segs, raw, runStart, runEnd);
        runStart = span.start;
        runEnd = span.end;
      }
      continue;
    }
    if (runStart >= 0) pushRun(segs, raw, runStart, runEnd);
    runStart = -1;
    if (replacement !== null) segs.push(replacement);
  }
  if (runStart >= 0) pushRun(segs, raw, runStart, runEnd);
  if (!hostWritten) segs.splice(1, 0, `Host: ${target.authority}\r\n`);
  segs.push('\r\n');
  return assemble(raw, segs);
}

/** A run of kept lines `[start, end)` and its line end, always sent as CRLF. */
function pushRun(segs: Array<string | number>, raw: Uint8Array, start: number, end: number): void {
  if (raw[end] === 13 && raw[end + 1] === 10) segs.push(start, end + 2);
  else segs.push(start, end, '\r\n');
}

/** One buffer from latin1 strings and (start, end) ranges of `raw`. */
function assemble(raw: Uint8Array, segs: Array<string | number>): Buffer {
  let total = 0;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (typeof seg === 'string') total += seg.length;
    else total += (segs[++i] as number) - seg;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (typeof seg === 'string') {
      at += out.write(seg, at, 'latin1');
    } else {
      const end = segs[++i] as number;
      out.set(raw.subarray(seg, end), at);
      at += end - seg;
    }
  }
  return out;
}
