/**
 * An exchange switched from "written whole when it ends" to "written as it goes" (it ran
 * long, grew big, or a flush asked for everything): a `start` record with what it has so
 * far (chunks, messages, state), after which its later calls become records of their own
 * and an `end` closes it. A SIGKILL then brings it back as interrupted, with its bytes,
 * instead of losing it.
 */
import { definedTimings, LiveLog, type ExchangeEntry } from './exchange-entry';
import type { LogAppender } from './log-appender';
import type { LogRecord } from './log-format';
import { queueChunk, queueRecord } from './record-coalescing';

export function logInFlight(appender: LogAppender, entry: ExchangeEntry): void {
  const live = entry.live!;
  if (live.log) return;
  live.log = new LiveLog();
  const id = entry.id;
  appender.append({
    t: 'start',
    id,
    connectionId: entry.connectionId,
    indexOnConnection: entry.indexOnConnection,
    source: entry.source,
    scheme: entry.scheme,
    host: entry.host,
    port: entry.port,
    timings: definedTimings(live.timings),
  });
  for (const side of ['q', 'r'] as const)
    for (const [offset, length] of live.ranges[side])
      queueChunk(appender, entry, side, offset, length);
  const put = (record: LogRecord): void => queueRecord(appender, entry, record);
  if (live.request) put({ t: 'msg', id, s: 'q', m: live.request });
  for (const m of live.informational) put({ t: 'msg', id, s: 'i', m });
  if (live.response) put({ t: 'msg', id, s: 'r', m: live.response });
  for (const text of live.warnings) put({ t: 'warn', id, text });
  if (live.tunnel) put({ t: 'tunnel', id, up: live.tunnel.bytesUp, down: live.tunnel.bytesDown });
  if (entry.state !== 'pending') put({ t: 'state', id, state: entry.state });
  if (entry.error) put({ t: 'fail', id, error: entry.error });
}
