/**
 * Turns what the user composed into the bytes the sender writes. Both options off means
 * "send exactly": the input is written untouched, however broken. Only the head is ever
 * edited; the body is never changed.
 */
import type { RawHeaders } from '../../../shared/model/exchange';
import {
  headersOf,
  headerValues,
  latin1Bytes,
  scanHead,
  splitStartLine,
  type HeadLine,
  type LineEnding,
  type RequestHead,
} from './request-head';
import { lintRequest } from './request-warnings';

export interface PrepareOptions {
  /** Recompute Content-Length from the body (default true). */
  fixContentLength?: boolean;
  /** Turn bare LF into CRLF in the head (default true). */
  normalizeLineEndings?: boolean;
}

export interface PreparedRequest {
  /** Exactly what will be written to the socket. */
  bytes: Uint8Array;
  method: string;
  /** The request target as written (origin-, absolute-, authority- or asterisk-form). */
  requestTarget: string;
  version: string;
  headers: RawHeaders;
  /** Notes for the user: what is malformed (still sent) and what was changed. */
  warnings: string[];
}

export function prepareRequest(raw: Uint8Array, options: PrepareOptions = {}): PreparedRequest {
  const normalize = options.normalizeLineEndings ?? true;
  const fixLength = options.fixContentLength ?? true;
  const changes: string[] = [];
  let bytes = raw;
  let finalHead = scanHead(raw);
  if (normalize || fixLength) {
    const head = finalHead;
    const body = raw.subarray(head.bodyOffset);
    let lines = head.lines;
    let terminatorEol = head.terminatorEol;
    if (normalize) {
      if (!head.terminated && lines.length > 0 && body.length === 0) {
        changes.push('added the empty line that ends the head');
      }
      lines = lines.map((line) => ({ text: line.text, eol: '\r\n' as const }));
      terminatorEol = '\r\n';
    }
    if (fixLength) lines = fixContentLength(lines, body.length, changes);
    const rebuilt = assemble(lines, terminatorEol, body);
    if (!equalBytes(rebuilt, raw)) {
      bytes = rebuilt;
      finalHead = scanHead(bytes);
    }
  }
  const startLine = splitStartLine(finalHead.lines[0]?.text ?? '');
  const headers = headersOf(finalHead);
  return {
    bytes,
    method: startLine.method,
    requestTarget: startLine.target,
    version: startLine.version,
    headers,
    warnings: [...changes, ...lintRequest(finalHead, headers, bytes.length - finalHead.bodyOffset)],
  };
}

/** Content-Length := body length, unless Transfer-Encoding frames the body. */
function fixContentLength(lines: HeadLine[], bodyLength: number, changes: string[]): HeadLine[] {
  const headers = headersOf({ lines } as RequestHead);
  if (headerValues(headers, 'transfer-encoding').length > 0) return lines;
  const value = String(bodyLength);
  let found = false;
  const fixed = lines.map((line, index) => {
    const match = index > 0 ? /^(content-length)[ \t]*:(.*)$/i.exec(line.text) : null;
    if (!match) return line;
    found = true;
    if (match[2].trim() === value) return line;
    changes.push(`Content-Length set to ${value} (was "${match[2].trim()}")`);
    return { text: `${match[1]}: ${value}`, eol: line.eol };
  });
  if (found || bodyLength === 0 || lines.length === 0) return fixed;
  changes.push(`Content-Length: ${value} added`);
  const eol: LineEnding = lines[lines.length - 1].eol || '\r\n';
  // The last line may have had no ending at all (unterminated head): give it one first.
  const last = fixed[fixed.length - 1];
  fixed[fixed.length - 1] = { text: last.text, eol: last.eol || eol };
  return [...fixed, { text: `Content-Length: ${value}`, eol }];
}

function assemble(lines: HeadLine[], terminatorEol: LineEnding, body: Uint8Array): Uint8Array {
  let text = '';
  for (const line of lines) text += line.text + line.eol;
  // An unterminated head being normalised gets its empty line; the exact text stays as typed.
  if (terminatorEol) {
    const lastEol = lines.length > 0 ? lines[lines.length - 1].eol : '';
    if (lines.length > 0 && !lastEol) text += terminatorEol;
    text += terminatorEol;
  }
  const head = latin1Bytes(text);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
