/**
 * The recorded view of a message (MessageRecord) from the parser's events. Spans are moved
 * by `base` because a record's spans point into all the bytes recorded for that side of the
 * exchange (a final response after 1xx responses starts after them).
 */
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { MessageRecord, ParseIssue, Span } from '../../../shared/model/exchange';

export type RecordedMessage = Omit<MessageRecord, 'rawLength'>;

export function messageRecord(
  head: ParsedHead,
  base: number,
  end: MessageEnd | null,
  /** Body bytes received so far (when the message is incomplete). */
  receivedBody: number,
  extraIssues: ParseIssue[] = [],
): RecordedMessage {
  const shift = (span: Span): Span => ({ start: span.start + base, end: span.end + base });
  const bodyStart = base + head.headLength;
  const record: RecordedMessage = {
    startLine: head.startLine,
    headers: head.headers,
    layout: {
      startLine: shift(head.spans.startLine),
      headerLines: head.spans.headerLines.map(shift),
      headerBlock: shift(head.spans.headerBlock),
      body: { start: bodyStart, end: bodyStart + (end ? end.wireBodyLength : receivedBody) },
    },
    framing: head.framing,
    issues: [...head.warnings, ...(end?.warnings ?? []), ...extraIssues],
    complete: end !== null,
  };
  if (end && end.trailers.length > 0) record.trailers = end.trailers;
  return record;
}

/** A message whose head could not be parsed at all: what we can still say about it. */
export function unparsedRecord(firstLine: string, issue: ParseIssue): RecordedMessage {
  return { startLine: firstLine, headers: [], issues: [issue], complete: false };
}
