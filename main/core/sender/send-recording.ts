/**
 * Records one send as an exchange with source `composer`: the request exactly as sent,
 * the response bytes as received, timings, warnings, and the error when it failed. With
 * no recorder every call is a no-op, so the send path stays the same either way.
 */
import type { SendTarget } from '../../../shared/api/inspector-api';
import type { Timings, WirelensError } from '../../../shared/model/exchange';
import type { ExchangeRecorder, ExchangeWriter } from '../store/recorder-types';
import type { RecordedMessage } from './message-record';
import { requestRecordRemembered } from './prepared-cache';

export class SendRecording {
  private constructor(private readonly writer: ExchangeWriter | null) {}

  /** False when nothing is recorded: callers skip building records for it. */
  get active(): boolean {
    return this.writer !== null;
  }

  static start(
    recorder: ExchangeRecorder | undefined,
    connectionId: number | null,
    indexOnConnection: number,
    target: SendTarget,
    timings: Timings,
    sent: Uint8Array,
    warnings: string[],
  ): SendRecording {
    if (!recorder || connectionId === null) return new SendRecording(null);
    const writer = recorder.startExchange({
      connectionId,
      indexOnConnection,
      source: 'composer',
      scheme: target.tls ? 'https' : 'http',
      host: target.host,
      port: target.port,
      timings: { ...timings },
    });
    writer.appendRequest(sent);
    writer.setRequest(requestRecordRemembered(sent));
    for (const warning of warnings) writer.addWarning(warning);
    return new SendRecording(writer);
  }

  get id(): number | null {
    return this.writer?.id ?? null;
  }

  mark(timings: Timings, ...names: Array<keyof Timings>): void {
    if (!this.writer) return;
    for (const name of names) {
      const at = timings[name];
      if (at !== undefined) this.writer.mark(name, at);
    }
  }

  requestWritten(at: number): void {
    this.writer?.mark('requestEnd', at);
    this.writer?.setState('request-complete');
  }

  appendResponse(bytes: Uint8Array): void {
    this.writer?.appendResponse(bytes);
  }

  informational(record: RecordedMessage): void {
    this.writer?.addInformational(record);
  }

  responseHead(record: RecordedMessage): void {
    this.writer?.setResponse(record);
    this.writer?.setState('response-head');
  }

  complete(record: () => RecordedMessage, responseEnd: number): void {
    if (!this.writer) return;
    this.writer.setResponse(record());
    this.writer.mark('responseEnd', responseEnd);
    this.writer.finish();
  }

  failed(error: WirelensError, partial: RecordedMessage | null): void {
    if (!this.writer) return;
    if (partial) this.writer.setResponse(partial);
    this.writer.fail(error);
  }
}

/** Opens the connection record for a fresh connection (null when nothing is recorded). */
export function recordConnection(
  recorder: ExchangeRecorder | undefined,
  target: SendTarget,
  openedAt: number,
): number | null {
  if (!recorder) return null;
  return recorder.openConnection({
    source: 'composer',
    target: { host: target.host, port: target.port, tls: target.tls },
    openedAt,
  });
}
