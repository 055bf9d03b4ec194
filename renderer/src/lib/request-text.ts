/**
 * The composer's two views of one request: the raw text the user types and its parts
 * (start line fields, header rows, body). The shared lenient parser (shared/http
 * `splitRawText`) does the splitting and finds the problems shown before sending. When it
 * cannot account for every typed line (a head it cannot parse, a line without a colon),
 * the parts fall back to plain line splitting, so a structured edit never drops text.
 */
import { splitRawText } from '../../../shared/http/split-message';
import type { ParseIssue, RawHeaders } from '../../../shared/model/exchange';

export interface RequestParts {
  method: string;
  target: string;
  version: string;
  headers: RawHeaders;
  body: string;
  /**
   * The head lines as typed, so that joining after a structured edit rewrites only what
   * was edited: an untouched line keeps its odd spacing, and every line keeps its ending
   * (CR LF, or a deliberately bare LF). Header rows are found by identity, so a moved
   * row takes its line with it.
   */
  typed: TypedHead;
  /** No empty line yet: everything typed is still head. */
  headComplete: boolean;
  /** What the shared parser found wrong (lenient mode: warnings, or the fatal issue). */
  issues: ParseIssue[];
}

export interface TypedLine {
  text: string;
  /** '\r\n', '\n', or '' for a last line not ended yet. */
  eol: string;
}

export interface TypedHead {
  start: TypedLine & { words: [string, string, string] };
  rows: Map<[string, string], TypedLine & { row: [string, string] }>;
  /** The ending of the empty line that ends the head. */
  blank: string;
}

export function splitRequestText(text: string): RequestParts {
  const blank = /\r?\n\r?\n/.exec(text);
  const head = blank ? text.slice(0, blank.index) : text.replace(/\r?\n$/, '');
  const body = blank ? text.slice(blank.index + blank[0].length) : '';
  const lines = head.split(/\r?\n/);
  const breaks = [...head.matchAll(/\r?\n/g)].map((m) => m[0]);
  if (blank) breaks.push(...(blank[0].match(/\r?\n/g) ?? []));
  const parsed = splitRawText(text, 'request').message;
  const complete = parsed.layout !== undefined && parsed.headers.length === lines.length - 1;
  const words = (lines[0] ?? '').split(' ');
  const method = complete ? (parsed.method ?? '') : (words[0] ?? '');
  const target = complete ? (parsed.target ?? '') : (words[1] ?? '');
  const version = complete ? parsed.version : words.slice(2).join(' ');
  const headers = complete ? parsed.headers : lines.slice(1).map(splitHeaderLine);
  const rows: TypedHead['rows'] = new Map();
  headers.forEach((row, i) =>
    rows.set(row, { text: lines[i + 1]!, eol: breaks[i + 1] ?? '', row: [row[0], row[1]] }),
  );
  return {
    method,
    target,
    version,
    headers,
    body,
    typed: {
      start: { text: lines[0] ?? '', eol: breaks[0] ?? '', words: [method, target, version] },
      rows,
      blank: breaks[lines.length] ?? '',
    },
    headComplete: blank !== null,
    issues: parsed.issues,
  };
}

function splitHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon === -1) return [line, ''];
  return [line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+/, '')];
}

/**
 * The text of the parts. A line whose fields were not edited is kept as typed; an edited
 * one is written `Name: value`; every line keeps its ending, and a new one (or one that
 * had none yet) ends like the start line.
 */
export function joinRequestText(parts: RequestParts): string {
  const { start, rows, blank } = parts.typed;
  const eol = start.eol || '\n';
  const [m, t, v] = start.words;
  const startText =
    parts.method === m && parts.target === t && parts.version === v
      ? start.text
      : [parts.method, parts.target, parts.version].filter((w) => w !== '').join(' ');
  let text = startText + eol;
  for (const row of parts.headers) {
    const line = rows.get(row);
    const same = line && line.row[0] === row[0] && line.row[1] === row[1];
    text += (same ? line.text : `${row[0]}: ${row[1]}`) + (line?.eol || eol);
  }
  return `${text}${blank || eol}${parts.body}`;
}

/**
 * The text as the sender gets it when line endings are repaired: every head line ends in
 * CR LF. The body is left exactly as typed (the sender never changes it either).
 */
export function crlfHead(text: string): string {
  const blank = /\r?\n\r?\n/.exec(text);
  if (!blank) return text.replace(/\r?\n/g, '\r\n');
  const end = blank.index + blank[0].length;
  return text.slice(0, end).replace(/\r?\n/g, '\r\n') + text.slice(end);
}

/** Warnings shown before sending; they never block the send (malformed on purpose is allowed). */
export function requestWarnings(
  parts: RequestParts,
  fixContentLength: boolean,
  bodyBytes: number,
  exact = false,
): string[] {
  // The body is whatever was typed after the head (Content-Length is checked below, or
  // fixed by the sender), so "the body is shorter than announced" is not a parse problem here.
  const out = parts.issues
    .filter((i) => i.code !== 'INCOMPLETE_MESSAGE')
    .map((i) => `${i.message} (${i.code}, byte ${i.offset})`);
  if (!parts.headComplete)
    out.push('No empty line after the headers yet: the head is not finished.');
  if (exact) {
    const { start, rows, blank } = parts.typed;
    const eols = [start.eol, ...[...rows.values()].map((r) => r.eol), blank];
    const bare = eols.filter((eol) => eol === '\n').length;
    if (bare > 0) out.push(`${bare} head lines end with a bare LF (no CR): sent as typed.`);
  }
  const names = parts.headers.map(([n]) => n.toLowerCase());
  if (parts.version === 'HTTP/1.1' && !names.includes('host'))
    out.push('HTTP/1.1 requires a Host header.');
  const hasTe = names.includes('transfer-encoding');
  const cl = parts.headers.find(([n]) => n.toLowerCase() === 'content-length');
  if (cl && !fixContentLength && !hasTe && Number(cl[1].trim()) !== bodyBytes) {
    out.push(`Content-Length says ${cl[1].trim()}, the body has ${bodyBytes} bytes.`);
  }
  if (!cl && !hasTe && bodyBytes > 0 && !fixContentLength) {
    out.push('The body has no Content-Length or Transfer-Encoding.');
  }
  return out;
}

/** Bytes as the sender gets them: UTF-8, or one byte per char for bodies opened as latin1. */
export function encodeText(text: string, encoding: 'utf-8' | 'latin1'): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 255 ? 0x3f : c;
  }
  return out;
}

/** `encodeText(text, encoding).length` without making the bytes (runs on every keystroke). */
export function encodedLength(text: string, encoding: 'utf-8' | 'latin1'): number {
  if (encoding === 'latin1') return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3; // a lone surrogate becomes U+FFFD, 3 bytes, as TextEncoder does
  }
  return n;
}

/** Decodes bytes for editing: UTF-8 when valid, otherwise latin1 (every byte kept). */
export function decodeForEditing(bytes: Uint8Array): {
  text: string;
  encoding: 'utf-8' | 'latin1';
} {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { text, encoding: 'latin1' };
  }
}

/** The raw head as text: start line + header lines, LF-separated for the editor. */
export function headText(startLine: string, headers: RawHeaders): string {
  return [startLine, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
}

/**
 * A proxy receives absolute-form targets (`GET http://host/p HTTP/1.1`) and forwards them
 * in origin-form; the composer sends straight to the origin, so it opens what the origin
 * got. (The Host header keeps the authority.)
 */
export function originForm(startLine: string): string {
  return startLine.replace(
    /^(\S+ )https?:\/\/[^/?# ]+(\S*)/i,
    (_, method: string, rest: string) => `${method}${rest.startsWith('/') ? rest : `/${rest}`}`,
  );
}

/**
 * Headers addressed to the proxy itself, which the origin never got (a proxy drops them)
 * and which must not go to it: Proxy-Connection, and Proxy-Authorization — a credential
 * for the proxy, not for the server.
 */
export function withoutProxyHeaders(headers: RawHeaders): RawHeaders {
  return headers.filter(([name]) => !/^proxy-(connection|authorization)$/i.test(name));
}

/** Joins byte chunks into one array. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
