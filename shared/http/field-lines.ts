/**
 * Header (and trailer) field lines: `name ":" OWS value OWS` (RFC 9112 §5), with
 * strict-mode rejections and lenient-mode recoveries.
 *
 * Hot path: scanFields() walks the block once, checking every byte against the tables,
 * finding line ends and the empty line in the same loop, and records positions only.
 * Strings are cut afterwards (buildFields) from one decode of the whole block.
 */
import type { RawHeaders, Span } from '../model/exchange';
import { COLON, CR, FIELD_VALUE, HT, LF, SP, TOKEN, equalsLower } from './token-tables';
import type { IssueSink } from './parse-issues';
import {
  FIELD_CONNECTION,
  FIELD_CONNECTION_CLOSE,
  FIELD_CONNECTION_KEEP_ALIVE,
  FIELD_CONTENT_LENGTH,
  FIELD_TRANSFER_ENCODING,
  FIELD_UPGRADE,
} from './header-rules';

/** Positions recorded per field: name start/end, value start/end, line content end. */
const STRIDE = 5;

/** Reusable scratch space for one block's field positions. */
export class FieldScan {
  pos = new Int32Array(STRIDE * 32);
  count = 0;
  /** A byte >= 0x80 was seen (the block needs the careful latin1 decode). */
  high = false;
  /** obs-fold continuations (rare): [field index, value start, value end, line end]. */
  folds: number[] = [];
  /** Where scanFields stopped: the start of the incomplete line, and the warning count then. */
  resumeAt = 0;
  warnMark = 0;

  reset(): void {
    this.count = 0;
    this.high = false;
    if (this.folds.length > 0) this.folds = [];
  }

  /** Shifts every recorded position by `-delta` (the bytes moved to another buffer). */
  rebase(delta: number): void {
    const p = this.pos;
    for (let k = 0; k < this.count * STRIDE; k++) p[k] -= delta;
    const f = this.folds;
    for (let k = 0; k < f.length; k += 4) {
      f[k + 1] -= delta;
      f[k + 2] -= delta;
      f[k + 3] -= delta;
    }
    this.resumeAt -= delta;
  }

  add(ns: number, ne: number, vs: number, ve: number, ce: number): void {
    const at = this.count * STRIDE;
    if (at + STRIDE > this.pos.length) {
      const next = new Int32Array(this.pos.length * 2);
      next.set(this.pos);
      this.pos = next;
    }
    const p = this.pos;
    p[at] = ns;
    p[at + 1] = ne;
    p[at + 2] = vs;
    p[at + 3] = ve;
    p[at + 4] = ce;
    this.count++;
  }
}

/** The end of a line's content (before CR LF), checking the line ending at `lf`. */
export function lineContentEnd(buf: Uint8Array, ls: number, lf: number, sink: IssueSink): number {
  if (lf > ls && buf[lf - 1] === CR) return lf - 1;
  sink.violation('BARE_LF', 'line ends with LF without CR', lf);
  return lf;
}

/**
 * Scans field lines from `from` up to and including the empty line that ends the block.
 * Returns the position after that empty line, or -1 if it does not occur before `limit`.
 */
export function scanFields(
  buf: Uint8Array,
  from: number,
  limit: number,
  sink: IssueSink,
  scan: FieldScan,
  maxCount: number,
): number {
  let ls = from;
  for (;;) {
    scan.resumeAt = ls;
    scan.warnMark = sink.warnings.length;
    if (ls >= limit) return -1;
    const first = buf[ls];
    if (first === CR) {
      if (ls + 1 >= limit) return -1;
      if (buf[ls + 1] === LF) return ls + 2;
    } else if (first === LF) {
      sink.violation('BARE_LF', 'empty line ends with LF without CR', ls);
      return ls + 1;
    }
    if (first === SP || first === HT) {
      const lf = findLf(buf, ls, limit);
      if (lf < 0) return -1;
      foldLine(buf, ls, lineContentEnd(buf, ls, lf, sink), sink, scan);
      ls = lf + 1;
      continue;
    }
    if (scan.count >= maxCount) {
      sink.fatal('TOO_MANY_HEADERS', `more than ${maxCount} header lines`, ls);
    }
    // Name: token bytes up to the colon.
    let i = ls;
    while (i < limit && TOKEN[buf[i]] === 1) i++;
    if (i >= limit) return -1;
    if (buf[i] !== COLON || i === ls) {
      const lf = findLf(buf, ls, limit);
      if (lf < 0) return -1;
      oddFieldLine(buf, ls, lineContentEnd(buf, ls, lf, sink), sink, scan);
      ls = lf + 1;
      continue;
    }
    const ne = i;
    i++;
    while (i < limit && (buf[i] === SP || buf[i] === HT)) i++;
    const vs = i;
    // Value: every byte checked; CR LF (or a bare LF) ends the line.
    let ce = -1;
    let lf = -1;
    while (i < limit) {
      // Four plain bytes at a time (1 & 1 & 1 & 1): most values are long ASCII runs.
      while (
        i + 3 < limit &&
        (FIELD_VALUE[buf[i]] &
          FIELD_VALUE[buf[i + 1]] &
          FIELD_VALUE[buf[i + 2]] &
          FIELD_VALUE[buf[i + 3]]) ===
          1
      ) {
        i += 4;
      }
      if (i >= limit) break;
      const t = FIELD_VALUE[buf[i]];
      if (t === 1) {
        i++;
        continue;
      }
      if (t === 2) {
        scan.high = true;
        i++;
        continue;
      }
      const c = buf[i];
      if (c === CR) {
        if (i + 1 >= limit) return -1;
        if (buf[i + 1] === LF) {
          ce = i;
          lf = i + 1;
          break;
        }
        sink.violation('BARE_CR', 'CR not followed by LF', i);
      } else if (c === LF) {
        sink.violation('BARE_LF', 'line ends with LF without CR', i);
        ce = lf = i;
        break;
      } else {
        sink.violation('INVALID_HEADER_VALUE', `invalid byte 0x${hex(c)} in header value`, i);
      }
      i++;
    }
    if (lf < 0) return -1;
    let ve = ce;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
    scan.add(ls, ne, vs, ve, ce);
    ls = lf + 1;
  }
}

function findLf(buf: Uint8Array, from: number, limit: number): number {
  const lf = buf.indexOf(LF, from);
  return lf < 0 || lf >= limit ? -1 : lf;
}

/** obs-fold (RFC 9112 §5.2): lenient mode joins the line to the previous value with one SP. */
function foldLine(buf: Uint8Array, ls: number, ce: number, sink: IssueSink, scan: FieldScan): void {
  sink.violation('OBS_FOLD', 'header line folded onto the next line (obs-fold)', ls);
  let vs = ls;
  while (vs < ce && (buf[vs] === SP || buf[vs] === HT)) vs++;
  let ve = ce;
  while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
  checkValue(buf, vs, ve, sink, scan);
  // A fold before any field has nothing to attach to; it stays in the raw bytes.
  if (scan.count > 0) scan.folds.push(scan.count - 1, vs, ve, ce);
}

/** A line whose name is not a plain token followed by a colon (lenient recoveries). */
function oddFieldLine(
  buf: Uint8Array,
  ls: number,
  ce: number,
  sink: IssueSink,
  scan: FieldScan,
): void {
  scan.high = true; // odd bytes may be anything: take the careful decode
  // A CR in the name part is a bare CR first of all (value bytes are checked below).
  const firstColon = buf.indexOf(COLON, ls);
  const nameRegionEnd = firstColon >= 0 && firstColon < ce ? firstColon : ce;
  for (let k = ls; k < nameRegionEnd; k++) {
    if (buf[k] === CR) sink.violation('BARE_CR', 'CR not followed by LF', k);
  }
  let i = ls;
  while (i < ce && TOKEN[buf[i]] === 1) i++;
  let nameEnd = i;
  let colon = i;
  if (i >= ce || buf[i] !== COLON) {
    colon = buf.indexOf(COLON, i);
    if (colon < 0 || colon >= ce) {
      if (sink.mode === 'strict') sink.fatal('INVALID_HEADER_TOKEN', 'header line has no colon', i);
      sink.violation('MISSING_COLON', 'header line has no colon; kept as a name', ls);
      scan.add(ls, ce, ce, ce, ce);
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
  checkValue(buf, vs, ve, sink, scan);
  scan.add(ls, nameEnd, vs, ve, ce);
}

function checkValue(
  buf: Uint8Array,
  vs: number,
  ve: number,
  sink: IssueSink,
  scan: FieldScan,
): void {
  for (let k = vs; k < ve; k++) {
    const t = FIELD_VALUE[buf[k]];
    if (t === 2) scan.high = true;
    else if (t === 0) {
      if (buf[k] === CR) sink.violation('BARE_CR', 'CR not followed by LF', k);
      else
        sink.violation('INVALID_HEADER_VALUE', `invalid byte 0x${hex(buf[k])} in header value`, k);
    }
  }
}

/**
 * Cuts the scanned fields into strings (the sink's text must cover them) and spans
 * relative to `sink.base`.
 */
export function buildFields(
  scan: FieldScan,
  sink: IssueSink,
): { headers: RawHeaders; spans: Span[] } {
  const n = scan.count;
  const headers: RawHeaders = new Array(n);
  const spans: Span[] = new Array(n);
  const p = scan.pos;
  const base = sink.base;
  for (let f = 0; f < n; f++) {
    const at = f * STRIDE;
    headers[f] = [sink.str(p[at], p[at + 1]), sink.str(p[at + 2], p[at + 3])];
    spans[f] = { start: p[at] - base, end: p[at + 4] - base };
  }
  const folds = scan.folds;
  for (let k = 0; k < folds.length; k += 4) {
    const h = headers[folds[k]];
    const extra = sink.str(folds[k + 1], folds[k + 2]);
    h[1] = h[1] === '' ? extra : extra === '' ? h[1] : h[1] + ' ' + extra;
    // The field's span grows to cover its continuation line.
    spans[folds[k]].end = folds[k + 3] - base;
  }
  return { headers, spans };
}

/**
 * The fields framing depends on, as pairs `[index, FIELD_* kind]`, found on the bytes so
 * no other field needs string work. A lone `keep-alive` / `close` Connection value is
 * recognised here too (unless folds may have changed values).
 */
export function framingFields(buf: Uint8Array, scan: FieldScan): number[] {
  const out: number[] = [];
  const p = scan.pos;
  const exact = scan.folds.length === 0;
  for (let f = 0; f < scan.count; f++) {
    const at = f * STRIDE;
    const ns = p[at];
    const ne = p[at + 1];
    const len = ne - ns;
    const c = buf[ns] | 0x20;
    let kind = 0;
    if (len === 14 && c === 0x63 && equalsLower(buf, ns, ne, 'content-length')) {
      kind = FIELD_CONTENT_LENGTH;
    } else if (len === 17 && c === 0x74 && equalsLower(buf, ns, ne, 'transfer-encoding')) {
      kind = FIELD_TRANSFER_ENCODING;
    } else if (len === 10 && c === 0x63 && equalsLower(buf, ns, ne, 'connection')) {
      const vs = p[at + 2];
      const ve = p[at + 3];
      kind =
        exact && equalsLower(buf, vs, ve, 'keep-alive')
          ? FIELD_CONNECTION_KEEP_ALIVE
          : exact && equalsLower(buf, vs, ve, 'close')
            ? FIELD_CONNECTION_CLOSE
            : FIELD_CONNECTION;
    } else if (len === 7 && c === 0x75 && equalsLower(buf, ns, ne, 'upgrade')) {
      kind = FIELD_UPGRADE;
    }
    if (kind !== 0) out.push(f, kind);
  }
  return out;
}

export function hex(c: number): string {
  return c.toString(16).padStart(2, '0');
}
