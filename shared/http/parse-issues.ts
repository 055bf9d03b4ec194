/**
 * Stable codes of the HTTP/1.x engine's parse issues, and the small reporter that turns a
 * rule violation into a fatal error (strict mode) or a warning (lenient mode).
 */
import type { ParseIssue } from '../model/exchange';
import type { ParseMode } from './parser-types';
import { decodeLatin1Block } from './token-tables';

export const PARSE_CODES = {
  INVALID_METHOD: 'INVALID_METHOD',
  INVALID_REQUEST_LINE: 'INVALID_REQUEST_LINE',
  INVALID_VERSION: 'INVALID_VERSION',
  INVALID_STATUS_LINE: 'INVALID_STATUS_LINE',
  INVALID_HEADER_TOKEN: 'INVALID_HEADER_TOKEN',
  INVALID_HEADER_VALUE: 'INVALID_HEADER_VALUE',
  BARE_CR: 'BARE_CR',
  BARE_LF: 'BARE_LF',
  OBS_FOLD: 'OBS_FOLD',
  WHITESPACE_BEFORE_COLON: 'WHITESPACE_BEFORE_COLON',
  CONTENT_LENGTH_AND_TRANSFER_ENCODING: 'CONTENT_LENGTH_AND_TRANSFER_ENCODING',
  CONFLICTING_CONTENT_LENGTH: 'CONFLICTING_CONTENT_LENGTH',
  INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  TRANSFER_ENCODING_NOT_CHUNKED: 'TRANSFER_ENCODING_NOT_CHUNKED',
  UNKNOWN_TRANSFER_CODING: 'UNKNOWN_TRANSFER_CODING',
  INVALID_CHUNK_SIZE: 'INVALID_CHUNK_SIZE',
  INVALID_CHUNK_EXTENSION: 'INVALID_CHUNK_EXTENSION',
  INVALID_CHUNK_TERMINATOR: 'INVALID_CHUNK_TERMINATOR',
  CHUNK_EXTENSION_TOO_LONG: 'CHUNK_EXTENSION_TOO_LONG',
  /** A framing, routing or control field sent as a trailer (RFC 9110 §6.5.1). */
  FORBIDDEN_TRAILER_FIELD: 'FORBIDDEN_TRAILER_FIELD',
  HEAD_TOO_LARGE: 'HEAD_TOO_LARGE',
  TOO_MANY_HEADERS: 'TOO_MANY_HEADERS',
  INCOMPLETE_MESSAGE: 'INCOMPLETE_MESSAGE',
  /** Lenient only: a header line without a colon, kept as a name with an empty value. */
  MISSING_COLON: 'MISSING_COLON',
  /** Lenient only: Transfer-Encoding on an HTTP/1.0 message (RFC 9112 §6.1). */
  TRANSFER_ENCODING_IN_HTTP10: 'TRANSFER_ENCODING_IN_HTTP10',
} as const;

export type ParseCode = keyof typeof PARSE_CODES;

/** Thrown inside the engine to stop at a fatal issue; never escapes the public API. */
export class ParseFailure extends Error {
  constructor(readonly issue: ParseIssue) {
    super(issue.message);
  }
}

export function fail(code: ParseCode, message: string, offset: number): never {
  throw new ParseFailure({ code, message, offset });
}

/**
 * The context of parsing one section (a head, a trailer section, a chunked body):
 * collects issues — a rule violation is fatal in strict mode, a warning in lenient mode —
 * and holds the section decoded once as text. `base` converts positions in the scanned
 * buffer into offsets from the message's first byte.
 */
export class IssueSink {
  readonly warnings: ParseIssue[] = [];
  private text = '';
  private textStart = 0;
  constructor(
    readonly mode: ParseMode,
    public base = 0,
  ) {}

  /** Decodes `buf[start..end)` once; `str()` then slices it (no per-field decoding). */
  setText(buf: Uint8Array, start: number, end: number, asciiFrom = end): void {
    this.text = decodeLatin1Block(buf, start, end, asciiFrom);
    this.textStart = start;
  }

  /** The latin1 text of `buf[a..b)`, within the range given to setText(). */
  str(a: number, b: number): string {
    return this.text.slice(a - this.textStart, b - this.textStart);
  }

  violation(code: ParseCode, message: string, pos: number): void {
    const issue = { code, message, offset: pos - this.base };
    if (this.mode === 'strict') throw new ParseFailure(issue);
    this.warnings.push(issue);
  }

  fatal(code: ParseCode, message: string, pos: number): never {
    throw new ParseFailure({ code, message, offset: pos - this.base });
  }
}
