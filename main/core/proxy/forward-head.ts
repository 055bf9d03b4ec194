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

const CRLF = Buffer.from('\r\n');

/**
 * RFC 9112 §2.3: an intermediary sends its own HTTP version. HTTP/1.0 stays 1.0 (its
 * framing and keep-alive rules differ); any other 1.x minor version goes on as HTTP/1.1.
 */
function forwardVersion(version: string): string {
  return version === 'HTTP/1.0' ? version : 'HTTP/1.1';
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
  const parts: Uint8Array[] = [
    Buffer.from(
      `${head.method} ${target.originForm} ${forwardVersion(head.version)}\r\n`,
      'latin1',
    ),
  ];
  let hostWritten = false;
  let lengthWritten = false;
  // Kept lines are contiguous in `raw` (with their CRLFs): each run of them is copied as
  // one range, ended by the first line that is dropped or rewritten.
  const lines = head.spans.headerLines;
  let runStart = -1;
  let runEnd = -1;
  const headers = head.headers;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    const lower = name.toLowerCase();
    let replacement: string | null = null;
    let keep = !drop.has(lower);
    if (keep && lower === 'content-length') {
      // Identical duplicates (`5, 5` or two fields) are accepted (RFC 9110 §8.6) but must
      // leave as one field: a downstream that refuses duplicates would otherwise disagree.
      if (lengthWritten) keep = false;
      else if (headers[i][1].includes(',')) replacement = `${name}: ${head.contentLength}\r\n`;
      lengthWritten = true;
    } else if (keep && lower === 'host') {
      if (hostWritten)
        keep = false; // strict parsing already refused duplicates; belt and braces
      else if (target.absolute) replacement = `${name}: ${target.authority}\r\n`;
      hostWritten = true;
    }
    const span = lines[i];
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
        if (runStart >= 0) parts.push(raw.subarray(runStart, runEnd), CRLF);
        runStart = span.start;
        runEnd = span.end;
      }
      continue;
    }
    if (runStart >= 0) parts.push(raw.subarray(runStart, runEnd), CRLF);
    runStart = -1;
    if (replacement !== null) parts.push(Buffer.from(replacement, 'latin1'));
  }
  if (runStart >= 0) parts.push(raw.subarray(runStart, runEnd), CRLF);
  if (!hostWritten) parts.splice(1, 0, Buffer.from(`Host: ${target.authority}\r\n`, 'latin1'));
  parts.push(CRLF);
  return Buffer.concat(parts);
}
