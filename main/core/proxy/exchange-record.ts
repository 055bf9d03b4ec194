/**
 * Recording helpers: message records built from parsed heads, and a writer wrapper that
 * counts bytes and reports a one-line summary when the exchange ends (what
 * `wirelens capture` prints). Recording must never break forwarding, so every call into
 * the recorder is guarded.
 */
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type {
  ExchangeState,
  MessageRecord,
  ParseIssue,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';
import type { ExchangeRecorder, ExchangeWriter, NewExchange } from '../store/recorder-types';

/** What is known when an exchange ends (printed by `wirelens capture`). */
export interface FinishedExchange {
  id: number;
  connectionId: number;
  indexOnConnection: number;
  scheme: string;
  method: string;
  url: string;
  status: number | null;
  state: ExchangeState;
  error: WirelensError | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
}

export function recordFromHead(
  head: ParsedHead,
  base: number,
  bodyLength: number,
  end?: MessageEnd,
  issues: ParseIssue[] = [],
): Omit<MessageRecord, 'rawLength'> {
  const shift = (s: { start: number; end: number }) => ({
    start: s.start + base,
    end: s.end + base,
  });
  return {
    startLine: head.startLine,
    headers: head.headers,
    layout: {
      startLine: shift(head.spans.startLine),
      headerLines: head.spans.headerLines.map(shift),
      headerBlock: shift(head.spans.headerBlock),
      body: { start: base + head.headLength, end: base + head.headLength + bodyLength },
    },
    framing: head.framing,
    issues,
    trailers: end && end.trailers.length > 0 ? end.trailers : undefined,
    complete: end !== undefined,
  };
}

/** A record for bytes whose head could not be parsed: the first line, if any, and the issue. */
export function recordFromUnparsed(
  raw: Uint8Array,
  issue: ParseIssue,
): Omit<MessageRecord, 'rawLength'> {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, 8192)).toString(
    'latin1',
  );
  const eol = text.search(/\r?\n/);
  return {
    startLine: eol >= 0 ? text.slice(0, eol) : text,
    headers: [],
    issues: [issue],
    complete: false,
  };
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    // The store must not take the proxy down; it reports its own problems.
    process.emitWarning(`Wirelens recorder error: ${(error as Error).message}`);
  }
}

/** Wraps an ExchangeWriter: counts bytes, remembers status and error, reports the end once. */
export class TrackedExchange {
  readonly writer: ExchangeWriter;
  method = '';
  url = '';
  status: number | null = null;
  requestBytes = 0;
  responseBytes = 0;
  error: WirelensError | null = null;
  state: ExchangeState = 'pending';
  ended = false;
  private readonly started = performance.now();

  constructor(
    recorder: ExchangeRecorder,
    readonly init: NewExchange,
    private readonly onEnd?: (info: FinishedExchange) => void,
  ) {
    let writer: ExchangeWriter | undefined;
    guard(() => (writer = recorder.startExchange(init)));
    this.writer = writer ?? NULL_WRITER;
  }

  appendRequest(bytes: Uint8Array): void {
    this.requestBytes += bytes.length;
    if (bytes.length > 0) guard(() => this.writer.appendRequest(bytes));
  }
  appendResponse(bytes: Uint8Array): void {
    this.responseBytes += bytes.length;
    if (bytes.length > 0) guard(() => this.writer.appendResponse(bytes));
  }
  setRequest(m: Omit<MessageRecord, 'rawLength'>): void {
    guard(() => this.writer.setRequest(m));
  }
  setResponse(m: Omit<MessageRecord, 'rawLength'>, status?: number): void {
    if (status !== undefined) this.status = status;
    guard(() => this.writer.setResponse(m));
  }
  addInformational(m: Omit<MessageRecord, 'rawLength'>): void {
    guard(() => this.writer.addInformational(m));
  }
  setTarget(host: string, port: number, scheme?: string): void {
    guard(() => this.writer.setTarget(host, port, scheme));
  }
  mark(name: keyof Timings, at?: number): void {
    guard(() => this.writer.mark(name, at));
  }
  setState(state: ExchangeState): void {
    if (this.ended) return;
    this.state = state;
    guard(() => this.writer.setState(state));
  }
  setTunnelBytes(up: number, down: number): void {
    guard(() => this.writer.setTunnelBytes(up, down));
  }
  addWarning(text: string): void {
    guard(() => this.writer.addWarning(text));
  }

  fail(error: WirelensError): void {
    if (this.ended) return;
    this.error = error;
    this.state = 'failed';
    guard(() => this.writer.fail(error));
    this.end();
  }

  finish(): void {
    if (this.ended) return;
    if (this.state !== 'tunnel') this.state = 'complete';
    guard(() => this.writer.finish());
    this.end();
  }

  private end(): void {
    this.ended = true;
    const info: FinishedExchange = {
      id: this.writer.id,
      connectionId: this.init.connectionId,
      indexOnConnection: this.init.indexOnConnection,
      scheme: this.init.scheme,
      method: this.method,
      url: this.url,
      status: this.status,
      state: this.state,
      error: this.error,
      requestBytes: this.requestBytes,
      responseBytes: this.responseBytes,
      durationMs: performance.now() - this.started,
    };
    guard(() => this.onEnd?.(info));
  }
}

const NULL_WRITER: ExchangeWriter = {
  id: -1,
  setTarget: () => undefined,
  appendRequest: () => undefined,
  appendResponse: () => undefined,
  setRequest: () => undefined,
  setResponse: () => undefined,
  addInformational: () => undefined,
  mark: () => undefined,
  setState: () => undefined,
  addWarning: () => undefined,
  setTunnelBytes: () => undefined,
  fail: () => undefined,
  finish: () => undefined,
};
