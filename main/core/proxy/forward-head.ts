/**
 * The request head as forwarded upstream: request line in origin-form, hop-by-hop headers
 * removed (RFC 9110 §7.6.1), Host replaced for absolute-form requests (RFC 9112 §3.2.2),
 * every other header line copied byte for byte from what the client sent, in order.
 */
import type { ParsedHead } from '../../../shared/http/parser-types';
import type { RequestTarget } from './request-target';

const ALWAYS_HOP = new Set([
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
export function hopByHopNames(head: ParsedHead, keepUpgrade: boolean): Set<string> {
  const names = new Set(ALWAYS_HOP);
  for (const [name, value] of head.headers) {
    if (name.toLowerCase() !== 'connection') continue;
    for (const token of value.split(',')) {
      const t = token.trim().toLowerCase();
      if (t) names.add(t);
    }
  }
  if (keepUpgrade) {
    // An upgrade only works if the origin sees both `Connection: upgrade` and `Upgrade`.
    names.delete('connection');
    names.delete('upgrade');
  }
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
  head.headers.forEach(([name, value], i) => {
    const lower = name.toLowerCase();
    if (drop.has(lower)) return;
    if (lower === 'content-length') {
      // Identical duplicates (`5, 5` or two fields) are accepted (RFC 9110 §8.6) but must
      // leave as one field: a downstream that refuses duplicates would otherwise disagree.
      if (lengthWritten) return;
      lengthWritten = true;
      if (value.includes(',')) {
        parts.push(Buffer.from(`${name}: ${head.contentLength}\r\n`, 'latin1'));
        return;
      }
    }
    if (lower === 'host') {
      if (hostWritten) return; // strict parsing already refused duplicates; belt and braces
      hostWritten = true;
      if (target.absolute) {
        parts.push(Buffer.from(`${name}: ${target.authority}\r\n`, 'latin1'));
        return;
      }
    }
    const span = head.spans.headerLines[i];
    parts.push(raw.subarray(span.start, span.end), CRLF);
  });
  if (!hostWritten) parts.splice(1, 0, Buffer.from(`Host: ${target.authority}\r\n`, 'latin1'));
  parts.push(CRLF);
  return Buffer.concat(parts);
}
