/**
 * Reads a message's head bytes exactly as recorded: `readBody({ part: 'message' })` up to
 * where the body starts (from the message's layout). Null when there is no layout (the
 * head could not be parsed) or the read fails — the views then fall back to the parsed
 * start line and headers, and say so.
 */
import type { MessageSide } from '../../../shared/api/inspector-api';
import type { MessageRecord } from '../../../shared/model/exchange';
import { inspectorClient } from './client';

export async function readHead(
  id: number,
  side: MessageSide,
  message: MessageRecord | null,
): Promise<Uint8Array | null> {
  const end = message?.layout?.body.start;
  if (end === undefined) return null;
  const out = new Uint8Array(end);
  let offset = 0;
  try {
    while (offset < end) {
      const slice = await inspectorClient().readBody({
        id,
        side,
        view: 'raw',
        part: 'message',
        offset,
        length: end - offset,
      });
      if (!slice.bytes.length) break;
      out.set(slice.bytes.subarray(0, end - offset), offset);
      offset += slice.bytes.length;
    }
  } catch {
    return null;
  }
  return offset >= end ? out : null;
}
