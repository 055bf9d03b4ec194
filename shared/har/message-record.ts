/**
 * The parsed view (MessageRecord without rawLength) of complete raw message bytes, via
 * the lenient splitter. Used to record imported exchanges like captured ones.
 */
import type { MessageRecord } from '../model/exchange';
import { splitMessage } from '../http/split-message';

export function messageRecordOf(
  raw: Uint8Array,
  kind: 'request' | 'response',
  requestMethod?: string,
): Omit<MessageRecord, 'rawLength'> {
  const split = splitMessage(raw, kind, requestMethod ? { requestMethod } : {});
  const record: Omit<MessageRecord, 'rawLength'> = {
    startLine: split.startLine,
    headers: split.headers,
    issues: split.issues,
    complete: split.complete,
  };
  if (split.layout) record.layout = split.layout;
  if (split.framing) record.framing = split.framing;
  if (split.trailers.length > 0) record.trailers = split.trailers;
  return record;
}
