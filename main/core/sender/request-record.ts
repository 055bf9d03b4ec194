/** The recorded view of the request as sent, read back with the message engine (lenient). */
import { HttpParser } from '../../../shared/http/http-parser';
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';
import { messageRecord, unparsedRecord, type RecordedMessage } from './message-record';

export function requestRecord(bytes: Uint8Array): RecordedMessage {
  let head: ParsedHead | null = null;
  let end: MessageEnd | null = null;
  let issue: ParseIssue | null = null;
  let body = 0;
  const parser = new HttpParser(
    { kind: 'request', mode: 'lenient' },
    {
      onHead: (h) => {
        head ??= h;
      },
      onBody: (raw) => {
        if (!end) body += raw.length;
      },
      onMessageEnd: (e) => {
        if (end) return;
        end = e;
        // Only the first request matters; what follows (a body longer than its
        // Content-Length) is not a second request of ours.
        parser.pause();
      },
      onError: (i) => {
        issue ??= i;
      },
    },
  );
  parser.push(bytes);
  if (!end) parser.end();
  if (head) return messageRecord(head, 0, end, body, !end && issue ? [issue] : []);
  const lf = bytes.indexOf(0x0a);
  const firstLine = Buffer.from(bytes.subarray(0, lf < 0 ? bytes.length : lf))
    .toString('latin1')
    .replace(/\r$/, '');
  return unparsedRecord(
    firstLine,
    issue ?? {
      code: 'INCOMPLETE_MESSAGE',
      message: 'the request head is incomplete',
      offset: bytes.length,
    },
  );
}
