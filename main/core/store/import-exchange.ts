/**
 * `importExchange`: one complete exchange from outside (HAR, a capture file), recorded
 * through the same writer path as live traffic, with source `import`.
 */
import type {
  ConnectionRecord,
  MessageRecord,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';
import type { ExchangeRecorder } from './recorder-types';

export interface ImportedMessage {
  /** The whole raw message: head and body as on the wire (a HAR body re-framed as needed). */
  raw: Uint8Array;
  /**
   * Its parsed view; spans are offsets into `raw`. Build it with shared/http's parser in
   * lenient mode, or by hand.
   */
  message: Omit<MessageRecord, 'rawLength'>;
}

export interface ImportExchangeInput {
  request: ImportedMessage;
  /** Absent: the exchange had no response (it is recorded as failed if `error` is set). */
  response?: ImportedMessage | null;
  /** `http` or `https` (default: `http`). */
  scheme?: string;
  host: string;
  port: number;
  /** Default: `{ start: Date.now() }`. */
  timings?: Timings;
  /** Groups imported exchanges that shared a connection (e.g. HAR `connection`). */
  connection?: Omit<ConnectionRecord, 'id' | 'source'>;
  /** Reuse a connection id from an earlier `openConnection` / import (with `indexOnConnection`). */
  connectionId?: number;
  indexOnConnection?: number;
  error?: WirelensError | null;
  warnings?: string[];
}

/** Records `input` on `recorder`; returns the new exchange id. */
export function importInto(recorder: ExchangeRecorder, input: ImportExchangeInput): number {
  const timings: Timings = { ...(input.timings ?? { start: Date.now() }) };
  const connectionId =
    input.connectionId ??
    recorder.openConnection({
      source: 'import',
      openedAt: timings.start,
      target: { host: input.host, port: input.port, tls: input.scheme === 'https' },
      ...input.connection,
    });
  const writer = recorder.startExchange({
    connectionId,
    indexOnConnection: input.indexOnConnection ?? 0,
    source: 'import',
    scheme: input.scheme ?? 'http',
    host: input.host,
    port: input.port,
    timings,
  });
  writer.appendRequest(input.request.raw);
  writer.setRequest(input.request.message);
  if (input.response) {
    writer.appendResponse(input.response.raw);
    writer.setResponse(input.response.message);
  }
  for (const warning of input.warnings ?? []) writer.addWarning(warning);
  if (input.error) writer.fail(input.error);
  else writer.finish();
  return writer.id;
}
