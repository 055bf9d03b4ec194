/**
 * Reads the responses to one or more requests written on a connection (several when
 * pipelining), with the message engine in lenient mode, so a broken server response is
 * still shown as well as possible. Splits the byte stream per request: each slot's bytes
 * are its 1xx responses followed by its final response.
 */
import { HttpParser } from '../../../shared/http/http-parser';
import type { MessageEnd, ParsedHead, ParserEvents } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';
import { nowMs as now } from '../clock';
import { messageRecord, unparsedRecord, type RecordedMessage } from './message-record';

export interface ResponseSlot {
  method: string;
  /** Stream offsets of this slot's bytes: `[start, end)`; `end` is null until complete. */
  start: number;
  end: number | null;
  informational: RecordedMessage[];
  /** The final (non-1xx) response head, and its stream offset. */
  head: ParsedHead | null;
  headOffset: number;
  messageEnd: MessageEnd | null;
}

export interface ReaderHooks {
  /** The first byte of this request's response arrived (pipelining: per request). */
  onFirstByte?(index: number, at: number): void;
  onBytes?(index: number, bytes: Uint8Array): void;
  onInformational?(index: number, record: RecordedMessage): void;
  /** Not called when the same pushed chunk also completes the response (onComplete is). */
  onFinalHead?(index: number, record: RecordedMessage): void;
  /** `record` builds the final response's record on demand (only recording needs it). */
  onComplete?(index: number, record: () => RecordedMessage): void;
}

/** The parser's events, as methods (no closures per reader). */
class ParserSink implements ParserEvents {
  constructor(private readonly reader: ResponseReader) {}
  onHead(head: ParsedHead, offset: number): void {
    this.reader.onHead(head, offset);
  }
  onBody(raw: Uint8Array): void {
    this.reader.bodyReceived += raw.length;
  }
  onMessageEnd(end: MessageEnd): void {
    this.reader.onMessageEnd(end);
  }
  onError(issue: ParseIssue): void {
    this.reader.fatal ??= issue;
  }
}

type QueuedHook =
  | { kind: 'informational'; index: number; record: RecordedMessage }
  | { kind: 'final-head' | 'complete'; index: number; record: null };

export class ResponseReader {
  readonly slots: ResponseSlot[];
  /** The engine could not frame the stream at all; reading stops. */
  fatal: ParseIssue | null = null;
  private readonly parser: HttpParser;
  private readonly chunks: Uint8Array[] = [];
  private total = 0;
  private current = 0;
  private distributed = 0;
  private distributeSlot = 0;
  /** Slots whose first response byte was seen (they are seen in order). */
  private firstBytesSeen = 0;
  private pendingInformational: { head: ParsedHead; offset: number } | null = null;
  /** Body bytes of the current message so far (for cut-short records). */
  bodyReceived = 0;
  /** Hook calls are queued during a push and run after the bytes are handed out. */
  private queued: QueuedHook[] = [];

  constructor(
    methods: string[],
    private readonly hooks: ReaderHooks = {},
  ) {
    this.slots = methods.map((method) => ({
      method,
      start: 0,
      end: null,
      informational: [],
      head: null,
      headOffset: 0,
      messageEnd: null,
    }));
    this.parser = new HttpParser({ kind: 'response', mode: 'lenient' }, new ParserSink(this));
    for (const method of methods) this.parser.expectResponseTo(method);
  }

  get done(): boolean {
    return this.current >= this.slots.length;
  }

  get receivedBytes(): number {
    return this.total;
  }

  /** Index of the first slot still waiting for its response (slots.length when done). */
  get currentIndex(): number {
    return this.current;
  }

  push(chunk: Uint8Array): void {
    const chunkStart = this.total;
    this.chunks.push(chunk);
    this.total += chunk.length;
    if (!this.done && !this.fatal) this.parser.push(chunk);
    this.distribute(chunk, chunkStart);
    this.flush();
  }

  /** The server closed its side: completes a close-delimited response, or reports it cut short. */
  end(): void {
    if (!this.done && !this.fatal) this.parser.end();
    this.flush();
  }

  /** Raw bytes of one slot (all received so far when it is incomplete). */
  slotBytes(index: number): Uint8Array {
    const slot = this.slots[index];
    const all = this.allBytes();
    if (index > this.current) return all.subarray(all.length);
    return all.subarray(slot.start, slot.end ?? all.length);
  }

  /** The final response's record: complete, cut short, or — head unparsed — its first line. */
  finalRecord(index: number, issue?: ParseIssue): RecordedMessage | null {
    const slot = this.slots[index];
    if (slot.head) {
      const complete = slot.messageEnd;
      const received = complete ? 0 : this.bodyReceived;
      const extra = !complete && issue ? [issue] : [];
      return messageRecord(slot.head, slot.headOffset - slot.start, complete, received, extra);
    }
    const bytes = this.slotBytes(index);
    if (bytes.length === 0) return null;
    const lf = bytes.indexOf(0x0a);
    const firstLine = Buffer.from(bytes.subarray(0, lf < 0 ? bytes.length : lf))
      .toString('latin1')
      .replace(/\r$/, '');
    const why = issue ??
      this.fatal ?? {
        code: 'INCOMPLETE_MESSAGE',
        message: 'the response head is incomplete',
        offset: bytes.length,
      };
    return unparsedRecord(firstLine, why);
  }

  /** @internal (ParserSink) */
  onHead(head: ParsedHead, offset: number): void {
    const index = this.current;
    const slot = this.slots[index];
    if (!slot) return;
    this.bodyReceived = 0;
    const code = head.statusCode ?? 0;
    if (code >= 100 && code < 200 && code !== 101) {
      this.pendingInformational = { head, offset };
      return;
    }
    slot.head = head;
    slot.headOffset = offset;
    if (this.hooks.onFinalHead) this.queued.push({ kind: 'final-head', index, record: null });
  }

  /** @internal (ParserSink) */
  onMessageEnd(end: MessageEnd): void {
    const index = this.current;
    const slot = this.slots[index];
    if (!slot) return;
    const info = this.pendingInformational;
    if (info) {
      this.pendingInformational = null;
      const record = messageRecord(info.head, info.offset - slot.start, end, 0);
      slot.informational.push(record);
      this.queued.push({ kind: 'informational', index, record });
      return;
    }
    if (!slot.head) return;
    slot.messageEnd = end;
    slot.end = slot.headOffset + slot.head.headLength + end.wireBodyLength;
    this.current += 1;
    const next = this.slots[this.current];
    if (next) next.start = slot.end;
    if (this.hooks.onComplete) this.queued.push({ kind: 'complete', index, record: null });
  }

  /** Hands each slot its share of a chunk that was just pushed. */
  private distribute(chunk: Uint8Array, chunkStart: number): void {
    const chunkEnd = chunkStart + chunk.length;
    while (this.distributed < chunkEnd) {
      const slot = this.slots[this.distributeSlot];
      // Past the last slot (or past where parsing stopped): bytes nobody asked for.
      if (!slot || this.distributeSlot > this.current) break;
      const limit = Math.min(slot.end ?? chunkEnd, chunkEnd);
      if (this.distributed >= limit) {
        this.distributeSlot += 1;
        continue;
      }
      const piece = chunk.subarray(this.distributed - chunkStart, limit - chunkStart);
      const index = this.distributeSlot;
      if (index === this.firstBytesSeen) {
        this.firstBytesSeen += 1;
        this.hooks.onFirstByte?.(index, now());
      }
      this.hooks.onBytes?.(index, piece);
      this.distributed = limit;
    }
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    const calls = this.queued;
    this.queued = [];
    const hooks = this.hooks;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call.kind === 'final-head') {
        // Head and end in the same chunk (a small response): the complete record follows
        // at once and supersedes the head-only one, so that is all the recorder gets.
        const next = calls[i + 1];
        if (next?.kind === 'complete' && next.index === call.index && hooks.onComplete) continue;
        const slot = this.slots[call.index];
        const head = slot.head as ParsedHead;
        hooks.onFinalHead?.(call.index, messageRecord(head, slot.headOffset - slot.start, null, 0));
      } else if (call.kind === 'informational') hooks.onInformational?.(call.index, call.record);
      else hooks.onComplete?.(call.index, () => this.completeRecord(call.index));
    }
  }

  /** A complete final response's record (built only when someone asks: recording). */
  private completeRecord(index: number): RecordedMessage {
    const slot = this.slots[index];
    const head = slot.head as ParsedHead;
    return messageRecord(head, slot.headOffset - slot.start, slot.messageEnd, 0);
  }

  private allBytes(): Uint8Array {
    if (this.chunks.length !== 1) {
      const joined = Buffer.concat(this.chunks);
      this.chunks.length = 0;
      this.chunks.push(joined);
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }
}
