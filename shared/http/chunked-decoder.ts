/**
 * Incremental decoder for the chunked transfer coding (RFC 9112 §7.1): chunk-size lines
 * with extensions, chunk data, the last-chunk and the trailer section.
 */
import { ChunkExtensionChecker } from './chunk-extension';
import type { RawHeaders } from '../model/exchange';
import { CR, HEX, HT, LF, SP } from './token-tables';
import type { IssueSink } from './parse-issues';
import { FieldScan, buildFields, scanFields } from './field-lines';

const enum S {
  SizeStart,
  Size,
  SizeSpace,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  Done,
}

/** Fields that frame, route or control a message: never valid in a trailer section. */
const FORBIDDEN_TRAILERS = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'trailer',
  'te',
  'connection',
  'keep-alive',
  'upgrade',
  'proxy-connection',
  'expect',
  'content-encoding',
  'content-range',
]);

/** 16 hex digits already exceed 2^53; longer sizes cannot be represented safely. */
const MAX_SIZE_DIGITS = 13;

export interface ChunkedLimits {
  maxExtensionBytes: number;
  maxTrailerBytes: number;
  maxTrailerCount: number;
}

export class ChunkedDecoder {
  private state = S.SizeStart;
  private size = 0;
  private digits = 0;
  private extLength = 0;
  private readonly ext = new ChunkExtensionChecker();
  private trailerBuf: Uint8Array | null = null;
  private trailerLength = 0;
  private trailerLineStart = 0;
  payloadLength = 0;
  trailers: RawHeaders = [];
  /** Position being examined when feed() threw: bytes before it were consumed. */
  cursor = 0;

  constructor(
    private readonly sink: IssueSink,
    private readonly limits: ChunkedLimits,
  ) {}

  get done(): boolean {
    return this.state === S.Done;
  }

  /**
   * Message offset where the trailer section starts (after the last-chunk line), or -1.
   * Its bytes are handed on only once the section is whole and valid.
   */
  trailerStart = -1;

  /** A copy of the whole trailer section (valid once `done`). */
  trailerSection(): Uint8Array {
    return (this.trailerBuf ?? new Uint8Array(0)).slice(0, this.trailerLength);
  }

  /** Whether a cut here leaves a well-formed prefix at a chunk boundary (for errors). */
  get midChunk(): boolean {
    return this.state !== S.SizeStart;
  }

  /**
   * Consumes `buf[start..end)` up to the end of the body. `msgOffset` is the message
   * offset of `buf[start]` (for issue offsets). Payload bytes go to `onData`.
   * Returns the position after the last consumed byte. Throws ParseFailure.
   */
  feed(
    buf: Uint8Array,
    start: number,
    end: number,
    msgOffset: number,
    /** Returns true to stop feeding right after this piece (the caller paused). */
    onData: (buf: Uint8Array, start: number, end: number) => boolean,
  ): number {
    const sink = this.sink;
    sink.base = start - msgOffset;
    let i = start;
    while (i < end) {
      this.cursor = i;
      switch (this.state) {
        case S.Data: {
          const n = Math.min(this.size, end - i);
          this.size -= n;
          this.payloadLength += n;
          if (this.size === 0) this.state = S.DataCr;
          i += n;
          if (onData(buf, i - n, i)) return i;
          break;
        }
        case S.SizeStart:
        case S.Size: {
          const c = buf[i];
          const v = HEX[c];
          if (v >= 0) {
            // Leading zeros are valid (1*HEXDIG) and do not count towards the limit.
            if ((this.size > 0 || v > 0) && ++this.digits > MAX_SIZE_DIGITS) {
              sink.fatal('INVALID_CHUNK_SIZE', 'chunk size too large', i);
            }
            this.size = this.size * 16 + v;
            this.state = S.Size;
            i++;
          } else if (this.state === S.SizeStart) {
            sink.fatal('INVALID_CHUNK_SIZE', 'chunk size must start with a hex digit', i);
          } else {
            this.afterSize(c, i);
            i++;
          }
          break;
        }
        case S.SizeSpace: {
          const c = buf[i];
          if (c === SP || c === HT) i++;
          else if (c === 0x3b) {
            this.state = S.Ext;
            this.ext.reset();
            i++;
          } else if (c === CR || c === LF) {
            sink.violation('INVALID_CHUNK_SIZE', 'whitespace after chunk size', i);
            this.afterSize(c, i);
            i++;
          } else sink.fatal('INVALID_CHUNK_SIZE', 'invalid byte after chunk size', i);
          break;
        }
        case S.Ext:
          i = this.extension(buf, i, end);
          break;
        case S.SizeLf:
          if (buf[i] !== LF)
            sink.fatal('INVALID_CHUNK_SIZE', 'CR after chunk size not followed by LF', i);
          this.sizeLineDone(i);
          i++;
          break;
        case S.DataCr:
          if (buf[i] === CR) this.state = S.DataLf;
          else if (buf[i] === LF) {
            sink.violation('BARE_LF', 'chunk data ends with LF without CR', i);
            this.state = S.SizeStart;
          } else sink.fatal('INVALID_CHUNK_TERMINATOR', 'chunk data not followed by CRLF', i);
          i++;
          break;
        case S.DataLf:
          if (buf[i] !== LF)
            sink.fatal('INVALID_CHUNK_TERMINATOR', 'chunk data not followed by CRLF', i);
          this.state = S.SizeStart;
          i++;
          break;
        case S.Trailer:
          i = this.trailer(buf, i, end);
          break;
        case S.Done:
          return i;
      }
    }
    return i;
  }

  private afterSize(c: number, i: number): void {
    if (c === CR) this.state = S.SizeLf;
    else if (c === LF) {
      this.sink.violation('BARE_LF', 'chunk size line ends with LF without CR', i);
      this.sizeLineDone(i);
    } else if (c === 0x3b) {
      this.state = S.Ext;
      this.ext.reset();
    } else if (c === SP || c === HT) {
      // BWS before ";": a sender must not generate it (RFC 9110 §5.6.3), so a proxy must
      // not forward it (llhttp refuses it too).
      this.sink.violation('INVALID_CHUNK_SIZE', 'whitespace after the chunk size', i);
      this.state = S.SizeSpace;
    } else this.sink.fatal('INVALID_CHUNK_SIZE', 'invalid byte in chunk size', i);
  }

  private extension(buf: Uint8Array, i: number, end: number): number {
    const max = this.limits.maxExtensionBytes;
    for (; i < end; i++) {
      this.cursor = i;
      const c = buf[i];
      if (c === CR || c === LF) {
        const problem = this.ext.end();
        if (problem) this.sink.violation('INVALID_CHUNK_EXTENSION', problem, i);
        this.afterSize(c, i);
        return i + 1;
      }
      if (++this.extLength > max) {
        this.sink.fatal('CHUNK_EXTENSION_TOO_LONG', `chunk extension longer than ${max} bytes`, i);
      }
      const problem = this.ext.step(c);
      if (problem) this.sink.violation('INVALID_CHUNK_EXTENSION', problem, i);
    }
    return i;
  }

  /** `lf`: buffer index of the line's LF. */
  private sizeLineDone(lf: number): void {
    if (this.size === 0) this.trailerStart = lf + 1 - this.sink.base;
    this.state = this.size === 0 ? S.Trailer : S.Data;
    this.digits = 0;
    this.extLength = 0;
  }

  /** Buffers the trailer section until its empty line, then parses its fields. */
  private trailer(buf: Uint8Array, i: number, end: number): number {
    for (; i < end; i++) {
      this.cursor = i;
      const c = buf[i];
      this.appendTrailer(c, i);
      if (c !== LF) continue;
      const t = this.trailerBuf as Uint8Array;
      const lf = this.trailerLength - 1;
      const ls = this.trailerLineStart;
      if (lf === ls || (lf === ls + 1 && t[ls] === CR)) {
        this.finishTrailers(t, ls, lf, i);
        return i + 1;
      }
      this.trailerLineStart = this.trailerLength;
    }
    return i;
  }

  private appendTrailer(c: number, i: number): void {
    if (this.trailerBuf === null || this.trailerLength === this.trailerBuf.length) {
      if (this.trailerLength >= this.limits.maxTrailerBytes) {
        this.sink.fatal('HEAD_TOO_LARGE', 'trailer section too large', i);
      }
      const next = new Uint8Array(
        Math.min(this.limits.maxTrailerBytes, Math.max(64, this.trailerLength * 2)),
      );
      if (this.trailerBuf !== null) next.set(this.trailerBuf);
      this.trailerBuf = next;
    }
    this.trailerBuf[this.trailerLength++] = c;
  }

  private finishTrailers(t: Uint8Array, emptyStart: number, lf: number, i: number): void {
    const sink = this.sink;
    const savedBase = sink.base;
    // Offsets in `t` map to the stream position `i - lf + k`.
    sink.base = savedBase - (i - lf);
    const scan = new FieldScan();
    const end = scanFields(t, 0, lf + 1, sink, scan, this.limits.maxTrailerCount);
    sink.setText(t, 0, end, scan.high ? end : 0);
    this.trailers = buildFields(scan, sink).headers;
    for (const [name] of this.trailers) {
      // A recipient that merged these into the head would be reading a different message.
      if (FORBIDDEN_TRAILERS.has(name.toLowerCase())) {
        sink.violation('FORBIDDEN_TRAILER_FIELD', `"${name}" is not allowed as a trailer`, 0);
      }
    }
    sink.base = savedBase;
    this.state = S.Done;
  }
}
