/**
 * Parses header (and trailer) field lines: `name ":" OWS value OWS` per RFC 9112 §5,
 * with strict-mode rejections and lenient-mode recoveries.
 */
import type { RawHeaders, Span } from '../model/exchange';
import { COLON, CR, FIELD_VALUE, HT, LF, SP, TOKEN, latin1 } from './token-tables';
import type { IssueSink } from './parse-issues';

/**
 * Returns the end of the line's content (before CR LF), checking the line ending.
 * `lf` is the position of the LF that ends the line starting at `ls`.
 */
export function lineContentEnd(buf: Uint8Array, ls: number, lf: number, sink: IssueSink): number {
  if (lf > ls && buf[lf - 1] === CR) return lf - 1;
  sink.violation('BARE_LF', 'line ends with LF without CR', lf);
  return lf;
}

/**
 * Parses the field lines in `buf[from..to)` (`to` = start of the empty line that ends the
 * section). Appends to `headers` and `spans` (spans relative to `sink.base`).
 */
export function parseFieldLines(
  buf: Uint8Array,
  from: number,
  to: number,
  sink: IssueSink,
  headers: RawHeaders,
  spans: Span[],
  maxCount: number,
): void {
  let ls = from;
  while (ls < to) {
    let lf = buf.indexOf(LF, ls);
    if (lf < 0 || lf >= to) lf = to - 1; // defensive: `to` always follows an LF
    const ce = lineContentEnd(buf, ls, lf, sink);
    const first = buf[ls];
    if (first === SP || first === HT) {
      foldLine(buf, ls, ce, sink, headers, spans);
    } else {
      if (headers.length >= maxCount) {
        sink.fatal('TOO_MANY_HEADERS', `more than ${maxCount} header lines`, ls);
      }
      parseFieldLine(buf, ls, ce, sink, headers, spans);
    }
    ls = lf + 1;
  }
}

/** obs-fold (RFC 9112 §5.2): lenient mode joins the line to the previous value with one SP. */
function foldLine(
  buf: Uint8Array,
  ls: number,
  ce: number,
  sink: IssueSink,
  headers: RawHeaders,
  spans: Span[],
): void {
  sink.violation('OBS_FOLD', 'header line folded onto the next line (obs-fold)', ls);
  let vs = ls;
  while (vs < ce && (buf[vs] === SP || buf[vs] === HT)) vs++;
  let ve = ce;
  while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
  checkValue(buf, vs, ve, sink);
  const last = headers.length - 1;
  if (last < 0) return; // a fold before any field: nothing to attach to; kept in the raw bytes
  const extra = latin1(buf, vs, ve);
  const prev = headers[last][1];
  headers[last][1] = prev === '' ? extra : extra === '' ? prev : prev + ' ' + extra;
  // The field's span grows to cover its continuation line.
  spans[last].end = ce - sink.base;
}

function parseFieldLine(
  buf: Uint8Array,
  ls: number,
  ce: number,
  sink: IssueSink,
  headers: RawHeaders,
  spans: Span[],
): void {
  let i = ls;
  while (i < ce && TOKEN[buf[i]] === 1) i++;
  let nameEnd = i;
  let colon = i;
  if (i >= ce || buf[i] !== COLON) {
    colon = buf.indexOf(COLON, i);
    if (colon < 0 || colon >= ce) {
      if (sink.mode === 'strict') sink.fatal('INVALID_HEADER_TOKEN', 'header line has no colon', i);
      sink.violation('MISSING_COLON', 'header line has no colon; kept as a name', ls);
      headers.push([latin1(buf, ls, ce), '']);
      spans.push({ start: ls - sink.base, end: ce - sink.base });
      return;
    }
    let j = i;
    while (j < colon && (buf[j] === SP || buf[j] === HT)) j++;
    if (j === colon && i > ls) {
      sink.violation('WHITESPACE_BEFORE_COLON', 'whitespace between header name and colon', i);
    } else {
      sink.violation('INVALID_HEADER_TOKEN', 'invalid character in header name', i);
      nameEnd = colon;
      while (nameEnd > ls && (buf[nameEnd - 1] === SP || buf[nameEnd - 1] === HT)) nameEnd--;
    }
  }
  if (colon === ls) sink.violation('INVALID_HEADER_TOKEN', 'empty header name', ls);
  let vs = colon + 1;
  while (vs < ce && (buf[vs] === SP || buf[vs] === HT)) vs++;
  let ve = ce;
  while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
  checkValue(buf, vs, ve, sink);
  headers.push([latin1(buf, ls, nameEnd), latin1(buf, vs, ve)]);
  spans.push({ start: ls - sink.base, end: ce - sink.base });
}

function checkValue(buf: Uint8Array, vs: number, ve: number, sink: IssueSink): void {
  for (let k = vs; k < ve; k++) {
    if (FIELD_VALUE[buf[k]] === 0) {
      if (buf[k] === CR) sink.violation('BARE_CR', 'CR not followed by LF', k);
      else
        sink.violation('INVALID_HEADER_VALUE', `invalid byte 0x${hex(buf[k])} in header value`, k);
    }
  }
}

export function hex(c: number): string {
  return c.toString(16).padStart(2, '0');
}
