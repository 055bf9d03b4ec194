/**
 * Reading an exchange back: its detail (from the live state while in flight, from its
 * `end` record and message records in records.ndjson once finished) and its raw bytes
 * (from memory when small, else from bodies.bin). Synchronous `pread`s of a few KB: the
 * files are in the OS page cache in practice, and `get()` stays synchronous.
 */
import { readSync } from 'node:fs';
import type {
  ConnectionRecord,
  ExchangeDetail,
  MessageRecord,
} from '../../../shared/model/exchange';
import type { MessageSide } from '../../../shared/api/inspector-api';
import { definedTimings, type ExchangeEntry } from './exchange-entry';
import { EXCHANGE_MESSAGES_KEY } from './log-format';
import type {
  ByteRanges,
  CompactMessage,
  ExchangeRecord,
  LoggedMessage,
  LogRecord,
  RecordRef,
} from './log-format';
import { compactHeadEnd, expandMessage, isCompact } from './head-spans';

export interface ReadContext {
  recordsFd: number;
  bodiesFd: number;
  /** Write whatever the appender still holds (bytes of an exchange in flight). */
  flushPending(): void;
  connection(id: number): ConnectionRecord | null;
}

type EndRecord = Extract<LogRecord, { t: 'end' }>;

/** What `get()` and the body reads need, from memory or from the log. */
interface Parts {
  request: LoggedMessage | null;
  response: LoggedMessage | null;
  informational: LoggedMessage[];
  timings: EndRecord['timings'];
  warnings: string[];
  tunnel?: { bytesUp: number; bytesDown: number };
  ranges: EndRecord['ranges'];
}

export function readRecord<T>(fd: number, ref: RecordRef): T {
  const buf = Buffer.allocUnsafe(ref[1]);
  const n = readSync(fd, buf, 0, ref[1], ref[0]);
  return JSON.parse(buf.toString('utf8', 0, n)) as T;
}

function partsOf(entry: ExchangeEntry, ctx: ReadContext): Parts {
  const live = entry.live;
  if (live) {
    return {
      request: live.request,
      response: live.response,
      informational: live.informational,
      timings: live.timings,
      warnings: live.warnings,
      tunnel: live.tunnel,
      ranges: live.ranges,
    };
  }
  const end = readRecord<EndRecord | ExchangeRecord>(ctx.recordsFd, [
    entry.endOffset,
    entry.endLength,
  ]);
  if (end.t === 'x') {
    return {
      request: fullMessage(end.m.q, entry, 'request', ctx),
      response: fullMessage(end.m.r, entry, 'response', ctx),
      informational: end.m.i,
      timings: end.timings,
      warnings: end.warnings,
      tunnel: end.tunnel,
      ranges: end.ranges,
    };
  }
  const message = (ref: RecordRef | null): LoggedMessage | null =>
    ref ? readRecord<Extract<LogRecord, { t: 'msg' }>>(ctx.recordsFd, ref).m : null;
  return {
    request: message(end.refs.q),
    response: message(end.refs.r),
    informational: end.refs.i.map((ref) => message(ref)!).filter(Boolean),
    timings: end.timings,
    warnings: end.warnings,
    tunnel: end.tunnel,
    ranges: end.ranges,
  };
}

/** A message of an `x` record, its strings cut from its head bytes if it is compact. */
function fullMessage(
  m: LoggedMessage | CompactMessage | null,
  entry: ExchangeEntry,
  side: MessageSide,
  ctx: ReadContext,
): LoggedMessage | null {
  if (!isCompact(m)) return m;
  const head = readSide(entry, side, 0, compactHeadEnd(m), ctx);
  if (head.length < compactHeadEnd(m))
    throw new Error(`the ${side} head is missing from bodies.bin`);
  return expandMessage(m, head);
}

/**
 * Adds `rawLength` and stretches the body span to the end of what was recorded (a head is
 * recorded before its body arrives). Spans are offsets into the side's recorded bytes.
 */
function finalMessage(m: LoggedMessage | null, sideBytes: number): MessageRecord | null {
  if (!m) return null;
  const start = m.layout?.startLine.start ?? 0;
  const out: MessageRecord = { ...m, rawLength: Math.max(0, sideBytes - start) };
  if (m.layout) {
    out.layout = {
      ...m.layout,
      body: { start: m.layout.body.start, end: Math.max(m.layout.body.start, sideBytes) },
    };
  }
  return out;
}

function informationalMessage(m: LoggedMessage): MessageRecord {
  const span = m.layout ? m.layout.headerBlock.end - m.layout.startLine.start : 0;
  return { ...m, rawLength: span };
}

export function detailOf(entry: ExchangeEntry, ctx: ReadContext): ExchangeDetail {
  const summary = entry.toSummary();
  const connection = ctx.connection(entry.connectionId);
  let parts: Parts;
  try {
    parts = partsOf(entry, ctx);
  } catch (error) {
    // The log was damaged under us: still show the row, and say why the rest is missing.
    return {
      summary,
      connection,
      request: null,
      response: null,
      timings: { start: entry.startedAt },
      warnings: [`Could not read this exchange from the capture log: ${(error as Error).message}`],
    };
  }
  const detail: ExchangeDetail = {
    summary,
    connection,
    request: finalMessage(parts.request, entry.requestBytes),
    response: finalMessage(parts.response, entry.responseBytes),
    timings: definedTimings(parts.timings),
    warnings: [...parts.warnings],
  };
  if (parts.informational.length > 0)
    detail.informational = parts.informational.map(informationalMessage);
  if (parts.tunnel) detail.tunnel = { ...parts.tunnel };
  return detail;
}

/** Where a side's bytes are on disk (live state or the end record). */
export function rangesOf(entry: ExchangeEntry, side: MessageSide, ctx: ReadContext): ByteRanges {
  const key = side === 'request' ? 'q' : 'r';
  if (entry.live) return entry.live.ranges[key];
  return readFinalHead(ctx.recordsFd, [entry.endOffset, entry.endLength]).ranges[key];
}

/**
 * An `end` record, or the summary part of an `x` record (its text before the messages,
 * which are most of it) — what body reads need.
 */
function readFinalHead(fd: number, ref: RecordRef): Pick<EndRecord, 'ranges'> {
  const buf = Buffer.allocUnsafe(ref[1]);
  const n = readSync(fd, buf, 0, ref[1], ref[0]);
  const cut = buf.indexOf(EXCHANGE_MESSAGES_KEY);
  const text =
    cut > 0 && cut < n && buf.subarray(0, 8).toString('latin1') === '{"t":"x"'
      ? buf.toString('utf8', 0, cut) + '}'
      : buf.toString('utf8', 0, n);
  return JSON.parse(text) as Pick<EndRecord, 'ranges'>;
}

/** Bytes `[from, to)` of one side's raw recording. */
export function readSide(
  entry: ExchangeEntry,
  side: MessageSide,
  from: number,
  to: number,
  ctx: ReadContext,
): Uint8Array {
  const sideLength = side === 'request' ? entry.requestBytes : entry.responseBytes;
  from = Math.max(0, Math.min(from, sideLength));
  to = Math.max(from, Math.min(to, sideLength));
  if (to === from) return new Uint8Array(0);
  if (entry.raw) {
    const base = side === 'request' ? 0 : entry.requestBytes;
    return entry.raw.slice(base + from, base + to);
  }
  if (entry.live) ctx.flushPending();
  return readRanges(ctx.bodiesFd, rangesOf(entry, side, ctx), from, to);
}

/** Reads `[from, to)` of the concatenation of `ranges` from a file. */
export function readRanges(fd: number, ranges: ByteRanges, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  let logical = 0; // position of the current range's first byte in the concatenation
  let written = 0;
  for (const [offset, length] of ranges) {
    const rangeEnd = logical + length;
    if (rangeEnd > from && logical < to) {
      const skip = Math.max(0, from - logical);
      const take = Math.min(rangeEnd, to) - (logical + skip);
      let done = 0;
      while (done < take) {
        const n = readSync(fd, out, written + done, take - done, offset + skip + done);
        if (n === 0)
          throw new Error(
            `bodies.bin is shorter than its records say (at ${offset + skip + done})`,
          );
        done += n;
      }
      written += take;
    }
    logical = rangeEnd;
    if (logical >= to) break;
  }
  return out;
}
