/**
 * The incremental HTTP/1.x parser (contract: ./parser-types.ts). Bytes are scanned in
 * place; a head that spans pushes is gathered in one reusable buffer, then parsed in one
 * pass by ./head-parser.ts. Bodies are handed out as views of the pushed chunks.
 */
import type { ParseIssue } from '../model/exchange';
import type {
  HttpMessageParser,
  MessageEnd,
  ParsedHead,
  ParserEvents,
  ParserOptions,
} from './parser-types';
import { CR, LF } from './token-tables';
import { IssueSink, ParseFailure } from './parse-issues';
import type { HeadContext } from './head-parser';
import { HeadReader } from './head-reader';
import { ChunkedDecoder } from './chunked-decoder';

const enum Phase {
  /** Between messages: skipping the empty lines RFC 9112 §2.2 lets us ignore. */
  Start,
  Head,
  Body,
  Tunnel,
  Stopped,
}

/**
 * A copy of `bytes` from `start`. Not `bytes.slice()`: on a Node Buffer that is a view of
 * the same memory, and the caller may reuse its buffer once push() returns.
 */
function copyOf(bytes: Uint8Array, start: number): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start);
}

export const DEFAULT_MAX_HEAD_BYTES = 65536;
export const DEFAULT_MAX_HEADER_COUNT = 256;
export const DEFAULT_MAX_CHUNK_EXTENSION_BYTES = 4096;

export class HttpParser implements HttpMessageParser {
  private readonly maxHead: number;
  private readonly maxCount: number;
  private readonly maxExt: number;
  private phase = Phase.Start;
  private streamPos = 0;
  private msgStart = 0;

  private readonly heads: HeadReader;

  // Current message.
  private head: ParsedHead | null = null;
  private remaining = 0;
  private wire = 0;
  private payload = 0;
  private chunked: ChunkedDecoder | null = null;
  private bodySink: IssueSink | null = null;
  private bodyComplete = false;
  private rawStart = 0;

  private readonly methods: string[] = [];
  private readonly pending: Uint8Array[] = [];
  private cur: Uint8Array | null = null;
  private curPos = 0;
  private running = false;
  private isPaused = false;
  private endRequested = false;

  constructor(
    private readonly options: ParserOptions,
    private readonly events: ParserEvents,
  ) {
    this.maxHead = options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
    this.maxCount = options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
    this.maxExt = options.maxChunkExtensionBytes ?? DEFAULT_MAX_CHUNK_EXTENSION_BYTES;
    this.heads = new HeadReader(options.mode, this.maxHead);
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get offset(): number {
    return this.streamPos;
  }

  /** Bytes pushed but not parsed yet (paused), or a push in progress. */
  get holdsInput(): boolean {
    return this.running || this.cur !== null || this.pending.length > 0;
  }

  push(chunk: Uint8Array): void {
    if (this.phase === Phase.Stopped || this.endRequested || chunk.length === 0) return;
    if (this.running || this.isPaused || this.cur !== null || this.pending.length > 0) {
      // Re-entrant or paused: keep a copy, the caller may reuse its buffer.
      this.pending.push(copyOf(chunk, 0));
      this.drain();
      return;
    }
    this.cur = chunk;
    this.curPos = 0;
    try {
      this.drain();
    } finally {
      // Paused (or a listener threw) with bytes left: they must outlive the caller's buffer.
      // Paused exactly at the chunk's end (a message ended with it): nothing is left.
      if (this.cur === chunk) {
        this.cur = this.curPos < chunk.length ? copyOf(chunk, this.curPos) : null;
        this.curPos = 0;
      }
    }
  }

  end(): void {
    if (this.phase === Phase.Stopped || this.endRequested) return;
    this.endRequested = true;
    this.drain();
  }

  expectResponseTo(method: string): void {
    this.methods.push(method.toUpperCase());
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.drain();
  }

  private drain(): void {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.isPaused && this.phase !== Phase.Stopped) {
        if (this.bodyComplete) {
          this.finishMessage();
          continue;
        }
        const cur = this.cur;
        if (cur === null || this.curPos >= cur.length) {
          this.cur = this.pending.shift() ?? null;
          this.curPos = 0;
          if (this.cur === null) break;
          continue;
        }
        this.step(cur, this.curPos);
      }
      if (
        this.endRequested &&
        !this.isPaused &&
        this.phase !== Phase.Stopped &&
        this.cur === null
      ) {
        this.finishStream();
      }
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      this.fail(e.issue);
    } finally {
      this.running = false;
    }
  }

  /**
   * Consumes bytes of `buf` from `i`. Every step moves the position (advance) before it
   * fires an event, so a listener that throws never makes the parser re-read bytes.
   */
  private step(buf: Uint8Array, i: number): void {
    switch (this.phase) {
      case Phase.Start: {
        const n = buf.length;
        while (i < n && (buf[i] === CR || buf[i] === LF)) i++;
        this.advance(i);
        if (i < n) {
          this.phase = Phase.Head;
          this.msgStart = this.streamPos;
          this.heads.reset();
        }
        return;
      }
      case Phase.Head:
        if (this.heads.pendingBytes === 0) this.headInPlace(buf, i);
        else this.headBuffered(buf, i);
        return;
      case Phase.Body:
        this.body(buf, i);
        return;
      case Phase.Tunnel:
        this.advance(buf.length);
        this.events.onTunnelData?.(buf.subarray(i));
        return;
      default:
        this.advance(buf.length);
    }
  }

  private advance(to: number): void {
    this.streamPos += to - this.curPos;
    this.curPos = to;
  }

  /** Fast path: the whole head is (usually) inside this chunk, parsed in place. */
  private headInPlace(buf: Uint8Array, start: number): void {
    const head = this.heads.readInPlace(buf, start, this.headContext());
    if (head === null) {
      this.advance(buf.length);
      return;
    }
    this.advance(start + head.headLength);
    this.acceptHead(head);
  }

  /** Slow path: continue a head that began in an earlier chunk. */
  private headBuffered(buf: Uint8Array, start: number): void {
    const { head, used } = this.heads.readMore(buf, start, this.headContext());
    this.advance(start + used);
    if (head !== null) this.acceptHead(head);
  }

  private headContext(): HeadContext {
    const isResponse = this.options.kind === 'response';
    const requestMethod = isResponse ? (this.methods[0] ?? 'GET') : '';
    return { kind: this.options.kind, maxHeaderCount: this.maxCount, requestMethod };
  }

  private acceptHead(head: ParsedHead): void {
    const isResponse = this.options.kind === 'response';
    const status = head.statusCode ?? 0;
    // An interim (1xx) response is followed by the real one to the same request.
    if (isResponse && (status >= 200 || status === 101 || status < 100)) this.methods.shift();
    this.head = head;
    this.phase = Phase.Body;
    this.wire = 0;
    this.payload = 0;
    this.chunked = null;
    this.bodySink = null;
    this.remaining = head.framing === 'content-length' ? (head.contentLength as number) : 0;
    if (head.framing === 'chunked') {
      this.bodySink = new IssueSink(this.options.mode);
      this.chunked = new ChunkedDecoder(this.bodySink, {
        maxExtensionBytes: this.maxExt,
        maxTrailerBytes: this.maxHead,
        maxTrailerCount: this.maxCount,
      });
    }
    this.bodyComplete =
      head.framing === 'none' ||
      head.framing === 'tunnel' ||
      (head.framing === 'content-length' && this.remaining === 0);
    this.events.onHead(head, this.msgStart);
  }

  private body(buf: Uint8Array, i: number): void {
    const head = this.head as ParsedHead;
    const ev = this.events;
    const chunked = this.chunked;
    if (chunked !== null) {
      this.rawStart = i;
      const msgOffset = head.headLength + this.wire;
      let j: number;
      try {
        j = chunked.feed(buf, i, buf.length, msgOffset, this.onChunkData);
      } catch (e) {
        // Hand out what was consumed before the bad byte, as a byte-wise feed would have.
        if (e instanceof ParseFailure) this.flushChunked(buf, chunked.cursor, chunked);
        throw e;
      }
      this.payload = chunked.payloadLength;
      if (chunked.done) this.bodyComplete = true;
      this.flushChunked(buf, j, chunked);
      return;
    }
    const n = head.framing === 'close' ? buf.length - i : Math.min(this.remaining, buf.length - i);
    const data = buf.subarray(i, i + n);
    this.wire += n;
    this.payload += n;
    if (head.framing === 'content-length') {
      this.remaining -= n;
      if (this.remaining === 0) this.bodyComplete = true;
    }
    this.advance(i + n);
    ev.onBody?.(data);
    ev.onPayload?.(data);
  }

  /** Chunked: counts and hands out the raw bytes from `rawStart` to `to`. */
  private flushRaw(buf: Uint8Array, to: number): void {
    const from = this.rawStart;
    if (to <= from) return;
    this.rawStart = to;
    this.wire += to - from;
    this.advance(to);
    this.events.onBody?.(buf.subarray(from, to));
  }

  /**
   * Chunked: hands out raw bytes up to `to`, except the trailer section, which is held
   * back until it is whole and valid — a proxy forwarding as it goes must never pass on a
   * trailer it will refuse (e.g. a `Content-Length` trailer) — then handed out at once.
   */
  private flushChunked(buf: Uint8Array, to: number, chunked: ChunkedDecoder): void {
    const ts = chunked.trailerStart;
    if (ts < 0) return this.flushRaw(buf, to);
    // rawStart sits at message offset headLength + wire.
    const rawAt = (this.head as ParsedHead).headLength + this.wire;
    const cut = Math.max(this.rawStart, Math.min(to, this.rawStart + (ts - rawAt)));
    this.flushRaw(buf, cut);
    if (to > this.rawStart) {
      this.wire += to - this.rawStart;
      this.rawStart = to;
      this.advance(to);
    }
    if (chunked.done) this.events.onBody?.(chunked.trailerSection());
  }

  /** Raw bytes up to the end of each data piece go out first, so pausing loses nothing. */
  private readonly onChunkData = (buf: Uint8Array, s: number, e: number): boolean => {
    this.payload = (this.chunked as ChunkedDecoder).payloadLength;
    this.flushRaw(buf, e);
    this.events.onPayload?.(buf.subarray(s, e));
    return this.isPaused;
  };

  private finishMessage(): void {
    const head = this.head as ParsedHead;
    this.bodyComplete = false;
    const tunnel = head.framing === 'tunnel' || (head.kind === 'request' && head.upgrade);
    this.phase = tunnel ? Phase.Tunnel : Phase.Start;
    const end: MessageEnd = {
      wireBodyLength: this.wire,
      payloadLength: this.payload,
      trailers: this.chunked?.trailers ?? [],
      warnings: this.bodySink?.warnings ?? [],
    };
    this.head = null;
    this.chunked = null;
    this.events.onMessageEnd(end);
  }

  /** EOF: completes a close-delimited body; anything else cut short is an error. */
  private finishStream(): void {
    if (this.phase === Phase.Head) {
      this.fail({
        code: 'INCOMPLETE_MESSAGE',
        message: 'stream ended inside a message head',
        offset: this.heads.pendingBytes,
      });
    } else if (this.phase === Phase.Body) {
      const head = this.head as ParsedHead;
      if (head.framing === 'close') {
        this.finishMessage();
      } else {
        this.fail({
          code: 'INCOMPLETE_MESSAGE',
          message: `stream ended inside a ${head.framing} body`,
          offset: head.headLength + this.wire,
        });
      }
    }
    if (this.phase !== Phase.Stopped) this.phase = Phase.Stopped;
  }

  private fail(issue: ParseIssue): void {
    this.phase = Phase.Stopped;
    this.pending.length = 0;
    this.cur = null;
    this.events.onError(issue, this.msgStart);
  }
}
