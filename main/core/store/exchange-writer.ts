/**
 * The `ExchangeWriter` handed to producers (proxy, sender, import). Each call becomes one
 * log record (see ./log-format.ts) given to the store's sink, which applies it to the
 * in-memory exchange and queues it for the disk. Calls never throw: a producer must not
 * fail an exchange because recording it had a problem.
 */
import type {
  ExchangeState,
  MessageRecord,
  ParseIssue,
  RawHeaders,
  Span,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';
import { nowMs } from '../clock';
import type { ExchangeWriter } from './recorder-types';
import type { ExchangeEntry } from './exchange-entry';
import type { LoggedMessage, LogRecord, SideCode } from './log-format';

/** What the store offers its writers. */
export interface RecordSink {
  record(entry: ExchangeEntry, generation: number, record: LogRecord): void;
  bytes(entry: ExchangeEntry, generation: number, side: SideCode, bytes: Uint8Array): void;
  finish(entry: ExchangeEntry, generation: number): void;
  reportError(context: string, error: unknown): void;
}

const copySpan = (x: Span): Span => ({ start: x.start, end: x.end });

function copyHeaders(headers: RawHeaders): RawHeaders {
  const out: RawHeaders = new Array(headers.length);
  for (let i = 0; i < headers.length; i++) out[i] = [String(headers[i][0]), String(headers[i][1])];
  return out;
}

/**
 * Copies what a later mutation by the producer could change under us. Loops, not `map`
 * with closures: this runs for every message the proxy records.
 */
function copyMessage(m: Omit<MessageRecord, 'rawLength'>): LoggedMessage {
  const copy: LoggedMessage = {
    startLine: String(m.startLine ?? ''),
    headers: Array.isArray(m.headers) ? copyHeaders(m.headers) : [],
    issues: Array.isArray(m.issues) && m.issues.length > 0 ? m.issues.map(copyIssue) : [],
    complete: Boolean(m.complete),
  };
  if (m.layout) {
    const lines = m.layout.headerLines;
    const headerLines: Span[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) headerLines[i] = copySpan(lines[i]);
    copy.layout = {
      startLine: copySpan(m.layout.startLine),
      headerLines,
      headerBlock: copySpan(m.layout.headerBlock),
      body: copySpan(m.layout.body),
    };
  }
  if (m.framing) copy.framing = m.framing;
  if (m.trailers) copy.trailers = copyHeaders(m.trailers);
  return copy;
}

const copyIssue = (issue: ParseIssue): ParseIssue => ({ ...issue });

export class StoreExchangeWriter implements ExchangeWriter {
  constructor(
    private readonly sink: RecordSink,
    private readonly entry: ExchangeEntry,
    private readonly generation: number,
  ) {}

  get id(): number {
    return this.entry.id;
  }

  setTarget(host: string, port: number, scheme?: string): void {
    try {
      this.put({
        t: 'target',
        id: this.id,
        host: String(host),
        port: Number(port),
        ...(scheme ? { scheme } : {}),
      });
    } catch (error) {
      this.failed('setTarget', error);
    }
  }

  appendRequest(bytes: Uint8Array): void {
    try {
      this.sink.bytes(this.entry, this.generation, 'q', bytes);
    } catch (error) {
      this.failed('appendRequest', error);
    }
  }

  appendResponse(bytes: Uint8Array): void {
    try {
      this.sink.bytes(this.entry, this.generation, 'r', bytes);
    } catch (error) {
      this.failed('appendResponse', error);
    }
  }

  setRequest(message: Omit<MessageRecord, 'rawLength'>): void {
    try {
      this.put({ t: 'msg', id: this.id, s: 'q', m: copyMessage(message) });
    } catch (error) {
      this.failed('setRequest', error);
    }
  }

  setResponse(message: Omit<MessageRecord, 'rawLength'>): void {
    try {
      this.put({ t: 'msg', id: this.id, s: 'r', m: copyMessage(message) });
    } catch (error) {
      this.failed('setResponse', error);
    }
  }

  addInformational(message: Omit<MessageRecord, 'rawLength'>): void {
    try {
      this.put({ t: 'msg', id: this.id, s: 'i', m: copyMessage(message) });
    } catch (error) {
      this.failed('addInformational', error);
    }
  }

  mark(name: keyof Timings, at?: number): void {
    try {
      this.put({ t: 'mark', id: this.id, k: name, at: at ?? nowMs() });
    } catch (error) {
      this.failed('mark', error);
    }
  }

  setState(state: ExchangeState): void {
    try {
      this.put({ t: 'state', id: this.id, state });
    } catch (error) {
      this.failed('setState', error);
    }
  }

  addWarning(text: string): void {
    try {
      this.put({ t: 'warn', id: this.id, text: String(text) });
    } catch (error) {
      this.failed('addWarning', error);
    }
  }

  setTunnelBytes(bytesUp: number, bytesDown: number): void {
    try {
      this.put({
        t: 'tunnel',
        id: this.id,
        up: Number(bytesUp) || 0,
        down: Number(bytesDown) || 0,
      });
    } catch (error) {
      this.failed('setTunnelBytes', error);
    }
  }

  fail(error: WirelensError): void {
    try {
      const e = { code: String(error?.code ?? 'INTERNAL'), message: String(error?.message ?? '') };
      this.put({ t: 'fail', id: this.id, error: e });
      this.sink.finish(this.entry, this.generation);
    } catch (failure) {
      this.failed('fail', failure);
    }
  }

  finish(): void {
    try {
      this.sink.finish(this.entry, this.generation);
    } catch (error) {
      this.failed('finish', error);
    }
  }

  private put(record: LogRecord): void {
    this.sink.record(this.entry, this.generation, record);
  }

  /** Calls are guarded inline (no closure per call: this is the proxy's hot path). */
  private failed(what: string, error: unknown): void {
    this.sink.reportError(`exchange #${this.id} ${what}`, error);
  }
}
