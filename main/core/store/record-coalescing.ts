/**
 * Queues the records of an exchange that is logged while in flight (one that runs long or
 * carries a big body; see LiveLog) on the appender, merging what a later call of the same
 * batch makes redundant: contiguous body bytes share one `chunk` record, a newer message
 * of the same side replaces one not yet written, tunnel counters keep only their latest
 * value. Merging happens only within one flush; written records are never rewritten.
 */
import type { ExchangeEntry, LiveLog } from './exchange-entry';
import type { LogAppender } from './log-appender';
import type { LogRecord, SideCode } from './log-format';

type MsgRecord = Extract<LogRecord, { t: 'msg' }>;

export function queueRecord(appender: LogAppender, entry: ExchangeEntry, record: LogRecord): void {
  const live = entry.live!.log!;
  if (record.t === 'msg' && record.s !== 'i') {
    // A producer sets a head first and the completed message later.
    const open = live.openMessage[record.s];
    if (open && open.flush === appender.flushCount) {
      open.record.m = record.m;
    } else {
      queueMessage(appender, live, record);
      live.openMessage[record.s] = { record, flush: appender.flushCount };
    }
  } else if (record.t === 'msg') {
    queueMessage(appender, live, record);
  } else if (record.t === 'tunnel') {
    // Tunnel counters are reported per relayed chunk.
    const open = live.openTunnel;
    if (open && open.flush === appender.flushCount) {
      open.record.up = record.up;
      open.record.down = record.down;
    } else {
      appender.append(record);
      live.openTunnel = { record, flush: appender.flushCount };
    }
  } else {
    appender.append(record);
  }
}

/** Message records tell the live state where they landed (the end record refers to them). */
function queueMessage(appender: LogAppender, live: LiveLog, record: MsgRecord): void {
  const side = record.s;
  appender.append(record, (ref) => {
    if (side === 'i') live.refs.i.push(ref);
    else live.refs[side] = ref;
  });
}

/** Queues the chunk record for `length` bytes just appended at `offset` of bodies.bin. */
export function queueChunk(
  appender: LogAppender,
  entry: ExchangeEntry,
  side: SideCode,
  offset: number,
  length: number,
): void {
  const live = entry.live!.log!;
  const open = live.openChunk[side];
  if (open && open.flush === appender.flushCount && open.record.o + open.record.n === offset) {
    open.record.n += length;
    return;
  }
  const record = { t: 'chunk' as const, id: entry.id, s: side, o: offset, n: length };
  appender.append(record);
  live.openChunk[side] = { record, flush: appender.flushCount };
}
