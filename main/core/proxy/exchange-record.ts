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
import { joinAdjacent } from './adjacent-bytes';

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

/** The end of a message without a body (1xx, 101). */
export const NO_BODY: MessageEnd = Object.freeze({
  wireBodyLength: 0,
  payloadLength: 0,
  trailers: [],
  warnings: [],
});

function shiftSpan(s: { start: number; end: number }, by: number): { start: number; end: number } {
  return { start: s.start + by, end: s.end + by };
}

export function recordFromHead(
  head: ParsedHead,
  base: number,
  bodyLength: number,
  end?: MessageEnd,
  issues: ParseIssue[] = [],
): Omit<MessageRecord, 'rawLength'> {
  const spans = head.spans;
  const bodyStart = base + head.headLength;
  return {
    startLine: head.startLine,
    headers: head.headers,
    layout: {
      // At offset 0 (the usual case) the parser's spans are already right: no copies.
      startLine: base === 0 ? spans.startLine : shiftSpan(spans.startLine, base),
      headerLines:
        base === 0 ? spans.headerLines : spans.headerLines.map((s) => shiftSpan(s, base)),
      headerBlock: base === 0 ? spans.headerBlock : shiftSpan(spans.headerBlock, base),
      body: { start: bodyStart, end: bodyStart + bodyLength },
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

/**
 * Records bytes whose head could not be parsed as the exchange's request: the raw bytes,
 * the first line with the issue, and the method and target that line shows, if any.
 */
export function recordUnparsedRequest(
  ex: TrackedExchange,
  raw: Uint8Array,
  issue: ParseIssue,
): void {
  const record = recordFromUnparsed(raw, issue);
  const [method = '', url = ''] = record.startLine.split(' ');
  ex.method = method;
  ex.url = url;
  ex.appendRequest(raw);
  ex.setRequest(record);
}

/** The store must not take the proxy down; it reports its own problems. */
function recorderFailed(error: unknown): void {
  process.emitWarning(`Wirelens recorder error: ${(error as Error).message}`);
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
  /** Response bytes are being gathered (see gatherResponse). */
  private gathering = false;
  private gathered: Uint8Array | null = null;

  constructor(
    recorder: ExchangeRecorder,
    readonly init: NewExchange,
    private readonly onEnd?: (info: FinishedExchange) => void,
  ) {
    let writer: ExchangeWriter | undefined;
    try {
      writer = recorder.startExchange(init);
    } catch (e) {
      recorderFailed(e);
    }
    this.writer = writer ?? NULL_WRITER;
  }

  appendRequest(bytes: Uint8Array): void {
    this.requestBytes += bytes.length;
    if (bytes.length > 0) {
      this.flushGathered();
      try {
        this.writer.appendRequest(bytes);
      } catch (e) {
        recorderFailed(e);
      }
    }
  }
  appendResponse(bytes: Uint8Array): void {
    this.responseBytes += bytes.length;
    if (bytes.length === 0) return;
    if (this.gathering) {
      const held = this.gathered;
      const joined = held === null ? bytes : joinAdjacent(held, bytes);
      if (joined !== null) {
        this.gathered = joined;
        return;
      }
      this.flushGathered();
      this.gathered = bytes;
      return;
    }
    try {
      this.writer.appendResponse(bytes);
    } catch (e) {
      recorderFailed(e);
    }
  }

  /**
   * While on, adjacent response bytes (a head and the body that followed it in the same
   * chunk) are handed to the recorder as one call; any other call first hands over what
   * was gathered, so the recorder sees everything in the same order. Off hands it over.
   */
  gatherResponse(on: boolean): void {
    this.gathering = on;
    if (!on) this.flushGathered();
  }

  private flushGathered(): void {
    const held = this.gathered;
    if (held === null) return;
    this.gathered = null;
    try {
      this.writer.appendResponse(held);
    } catch (e) {
      recorderFailed(e);
    }
  }

  setRequest(m: Omit<MessageRecord, 'rawLength'>): void {
    this.flushGathered();
    try {
      this.writer.setRequest(m);
    } catch (e) {
      recorderFailed(e);
    }
  }
  setResponse(m: Omit<MessageRecord, 'rawLength'>, status?: number): void {
    if (status !== undefined) this.status = status;
    this.flushGathered();
    try {
      this.writer.setResponse(m);
    } catch (e) {
      recorderFailed(e);
    }
  }
  addInformational(m: Omit<MessageRecord, 'rawLength'>): void {
    this.flushGathered();
    try {
      this.writer.addInformational(m);
    } catch (e) {
      recorderFailed(e);
    }
  }
  setTarget(host: string, port: number, scheme?: string): void {
    this.flushGathered();
    try {
      this.writer.setTarget(host, port, scheme);
    } catch (e) {
      recorderFailed(e);
    }
  }
  mark(name: keyof Timings, at?: number): void {
    this.flushGathered();
    try {
      this.writer.mark(name, at);
    } catch (e) {
      recorderFailed(e);
    }
  }
  setState(state: ExchangeState): void {
    if (this.ended) return;
    this.flushGathered();
    this.state = state;
    try {
      this.writer.setState(state);
    } catch (e) {
      recorderFailed(e);
    }
  }
  setTunnelBytes(up: number, down: number): void {
    this.flushGathered();
    try {
      this.writer.setTunnelBytes(up, down);
    } catch (e) {
      recorderFailed(e);
    }
  }
  addWarning(text: string): void {
    this.flushGathered();
    try {
      this.writer.addWarning(text);
    } catch (e) {
      recorderFailed(e);
    }
  }

  fail(error: WirelensError): void {
    if (this.ended) return;
    this.flushGathered();
    this.error = error;
    this.state = 'failed';
    try {
      this.writer.fail(error);
    } catch (e) {
      recorderFailed(e);
    }
    this.end();
  }

  finish(): void {
    if (this.ended) return;
    this.flushGathered();
    if (this.state !== 'tunnel') this.state = 'complete';
    try {
      this.writer.finish();
    } catch (e) {
      recorderFailed(e);
    }
    this.end();
  }

  private end(): void {
    this.ended = true;
    if (!this.onEnd) return; // (the app's service listens to the store instead)
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
    try {
      this.onEnd(info);
    } catch (e) {
      recorderFailed(e);
    }
  }
}

/** Writes nothing: stands in when a recorder failed to start an exchange. */
export const NULL_WRITER: ExchangeWriter = {
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

/** Records nothing (a proxy whose own cost is measured without a store's). */
export const NULL_RECORDER: ExchangeRecorder = {
  openConnection: () => 0,
  updateConnection: () => undefined,
  startExchange: () => NULL_WRITER,
};
