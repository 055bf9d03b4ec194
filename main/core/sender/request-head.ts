/**
 * Finds the lines of a composed request's head, as typed: the sender must edit them
 * (line endings, Content-Length) without touching anything else, so this keeps every
 * byte offset and line ending. It is a line scanner for text the user wrote, not an HTTP
 * parser: framing and validation of what comes back are the message engine's job.
 */
import type { RawHeaders } from '../../../shared/model/exchange';

export type LineEnding = '\r\n' | '\n' | '';

export interface HeadLine {
  /** The line without its ending (latin1: one char per byte). */
  text: string;
  eol: LineEnding;
}

export interface RequestHead {
  /** Start line first, then header lines; the empty line that ends the head is not included. */
  lines: HeadLine[];
  /** Whether an empty line ended the head (else everything was head). */
  terminated: boolean;
  /** Line ending of the empty line, when terminated. */
  terminatorEol: LineEnding;
  /** Offset of the first body byte (raw.length when there is no body). */
  bodyOffset: number;
}

export function scanHead(raw: Uint8Array): RequestHead {
  const lines: HeadLine[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const lf = raw.indexOf(0x0a, pos);
    const end = lf < 0 ? raw.length : lf;
    const hasCr = lf > pos && raw[lf - 1] === 0x0d;
    const textEnd = hasCr ? end - 1 : end;
    const eol: LineEnding = lf < 0 ? '' : hasCr ? '\r\n' : '\n';
    const next = lf < 0 ? raw.length : lf + 1;
    if (textEnd === pos && eol !== '' && lines.length > 0) {
      return { lines, terminated: true, terminatorEol: eol, bodyOffset: next };
    }
    lines.push({ text: latin1(raw.subarray(pos, textEnd)), eol });
    pos = next;
  }
  return { lines, terminated: false, terminatorEol: '', bodyOffset: raw.length };
}

export interface StartLineParts {
  method: string;
  target: string;
  version: string;
}

export function splitStartLine(line: string): StartLineParts {
  const [method = '', target = '', version = ''] = line.trim().split(/[ \t]+/);
  return { method, target, version };
}

/** A header line is `name: value`; a line starting with whitespace continues the one before (obs-fold). */
export function isFolded(line: HeadLine): boolean {
  return line.text.startsWith(' ') || line.text.startsWith('\t');
}

/** Headers in order and case; folded lines are joined to their header with one space. */
export function headersOf(head: RequestHead): RawHeaders {
  const headers: RawHeaders = [];
  for (const line of head.lines.slice(1)) {
    if (isFolded(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.text.trim()}`;
      continue;
    }
    const colon = line.text.indexOf(':');
    if (colon < 0) continue;
    headers.push([line.text.slice(0, colon).trim(), line.text.slice(colon + 1).trim()]);
  }
  return headers;
}

export function headerValues(headers: RawHeaders, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function latin1Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
