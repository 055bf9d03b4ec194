/**
 * Compact messages in `x` records (./log-format.ts, CompactMessage): a message whose start
 * line and header fields are exactly what its recorded head bytes say — the usual case,
 * the proxy parsed those very bytes — is written with its spans only; a reader cuts the
 * strings from the bytes again. That is most of an `x` record's text, and most of the
 * CPU of escaping and encoding it on the proxy's hot path.
 *
 * One rule both ways: the start line is the bytes of its span; a field line is
 * `name ":" OWS value OWS` — the name up to the first colon, the value after it without
 * leading and trailing spaces and tabs; every byte one character (latin1, as the parser
 * decodes heads). A message the rule would not give back exactly is written whole.
 */
import type { Span } from '../../../shared/model/exchange';
import { COLON, HT, latin1, SP } from '../../../shared/http/token-tables';
import type { CompactMessage, LoggedMessage } from './log-format';

const isBlank = (c: number): boolean => c === SP || c === HT;

/** `s` is exactly `bytes[start, end)`, one character per byte. */
function sameText(s: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== s.length) return false;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) !== bytes[start + k]) return false;
  return true;
}

/**
 * A field line cut by the rule above, into `cut` (reused, no array per line): the name
 * ends at [0] (the first colon, or the line's end when it has none), the value is [1, 2).
 */
const cut = [0, 0, 0];
function cutField(bytes: Uint8Array, line: Span): void {
  let colon = line.start;
  while (colon < line.end && bytes[colon] !== COLON) colon++;
  let vs = Math.min(colon + 1, line.end);
  while (vs < line.end && isBlank(bytes[vs])) vs++;
  let ve = line.end;
  while (ve > vs && isBlank(bytes[ve - 1])) ve--;
  cut[0] = colon;
  cut[1] = vs;
  cut[2] = ve;
}

/**
 * Whether `m` can be written compact: its strings are what the rule cuts from `bytes`,
 * the side's recorded bytes from its first byte (at least through the head).
 */
export function derivable(m: LoggedMessage, bytes: Uint8Array): boolean {
  const layout = m.layout;
  if (!layout || layout.headerLines.length !== m.headers.length) return false;
  const end = layout.headerBlock.end;
  if (end > bytes.length || layout.startLine.end > end) return false;
  // Compared with the bytes in place: no decode of the head, no array per field line.
  if (!sameText(m.startLine, bytes, layout.startLine.start, layout.startLine.end)) return false;
  for (let i = 0; i < m.headers.length; i++) {
    const line = layout.headerLines[i];
    if (line.end > end) return false;
    cutField(bytes, line);
    if (cut[0] >= line.end) return false;
    if (!sameText(m.headers[i][0], bytes, line.start, cut[0])) return false;
    if (!sameText(m.headers[i][1], bytes, cut[1], cut[2])) return false;
  }
  return true;
}

/** Where a compact message's head ends in its side's bytes (what a reader needs of them). */
export function compactHeadEnd(c: CompactMessage): number {
  return c.spans[3];
}

export function isCompact(m: LoggedMessage | CompactMessage | null): m is CompactMessage {
  return m !== null && Array.isArray((m as CompactMessage).spans);
}

/**
 * The full message again, its strings cut from the side's bytes (from offset 0, at least
 * through the head). Throws on spans that do not fit them.
 */
export function expandMessage(c: CompactMessage, bytes: Uint8Array): LoggedMessage {
  const s = c.spans;
  // A damaged record must not cut strings from bytes that are not there.
  const fits = (x: number, k: number): boolean =>
    Number.isInteger(x) && x >= 0 && (x <= bytes.length || k === 5); // (the body may go on)
  if (s.length < 6 || s.length % 2 !== 0 || !s.every(fits))
    throw new Error('a compact message record is damaged (its spans do not fit its bytes)');
  const span = (k: number): Span => ({ start: s[k], end: s[k + 1] });
  const headerLines: Span[] = [];
  const headers: Array<[string, string]> = [];
  for (let k = 6; k + 1 < s.length; k += 2) {
    const line = span(k);
    cutField(bytes, line);
    headerLines.push(line);
    headers.push([latin1(bytes, line.start, cut[0]), latin1(bytes, cut[1], cut[2])]);
  }
  const m: LoggedMessage = {
    startLine: latin1(bytes, s[0], s[1]),
    headers,
    issues: c.issues ?? [],
    complete: c.complete,
    layout: { startLine: span(0), headerLines, headerBlock: span(2), body: span(4) },
  };
  if (c.framing !== undefined) m.framing = c.framing;
  if (c.trailers !== undefined) m.trailers = c.trailers;
  return m;
}
