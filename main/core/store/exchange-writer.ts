/**
 * The `ExchangeWriter` handed to producers (proxy, sender, import). Each call becomes one
 * log record (see ./log-format.ts) given to the store's sink, which applies it to the
 * in-memory exchange and queues it for the disk. Calls never throw: a producer must not
 * fail an exchange because recording it had a problem.
 */
import type {
  ExchangeState,
  MessageRecord,
  Span,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';
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

/** Monotonic wall-clock milliseconds, as `Timings` uses them. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Copies what a later mutation by the producer could change under us. */
function copyMessage(m: Omit<MessageRecord, 'rawLength'>): LoggedMessage {
  const copy: LoggedMessage = {
    startLine: String(m.startLine ?? ''),
    headers: Array.isArray(m.headers) ? m.headers.map(([n, v]) => [String(n), String(v)]) : [],
    issues: Array.isArray(m.issues) ? m.issues.map((i) => ({ ...i })) : [],
    complete: Boolean(m.complete),
  };
  if (m.layout) {
    const span = (x: Span): Span => ({ start: x.start, end: x.end });
    copy.layout = {
      startLine: span(m.layout.startLine),
      headerLines: m.layout.headerLines.map(span),
      headerBlock: span(m.layout.headerBlock),
      body: span(m.layout.body),
    };
  }
  if (m.framing) copy.framing = m.framing;
  if (m.trailers) copy.trailers = m.trailers.map(([n, v]) => [String(n), String(v)]);
  return copy;
}

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
    this.guard('setTarget', () =>
      this.put({
        t: 'target',
        id: this.id,
        host: String(host),
        port: Number(port),
        ...(scheme ? { scheme } : {}),
      }),
    );
  }

  appendRequest(bytes: Uint8Array): void {
    this.guard('appendRequest', () => this.sink.bytes(this.entry, this.generation, 'q', bytes));
  }

  appendResponse(bytes: Uint8Array): void {
    this.guard('appendResponse', () => this.sink.bytes(this.entry, this.generation, 'r', bytes));
  }

  setRequest(message: Omit<MessageRecord, 'rawLength'>): void {
    this.guard('setRequest', () =>
      this.put({ t: 'msg', id: this.id, s: 'q', m: copyMessage(message) }),
    );
  }

  setResponse(message: Omit<MessageRecord, 'rawLength'>): void {
    this.guard('setResponse', () =>
      this.put({ t: 'msg', id: this.id, s: 'r', m: copyMessage(message) }),
    );
  }

  addInformational(message: Omit<MessageRecord, 'rawLength'>): void {
    this.guard('addInformational', () =>
      this.put({ t: 'msg', id: this.id, s: 'i', m: copyMessage(message) }),
    );
  }

  mark(name: keyof Timings, at?: number): void {
    this.guard('mark', () => this.put({ t: 'mark', id: this.id, k: name, at: at ?? nowMs() }));
  }

  setState(state: ExchangeState): void {
    this.guard('setState', () => this.put({ t: 'state', id: this.id, state }));
  }

  addWarning(text: string): void {
    this.guard('addWarning', () => this.put({ t: 'warn', id: this.id, text: String(text) }));
  }

  setTunnelBytes(bytesUp: number, bytesDown: number): void {
    this.guard('setTunnelBytes', () =>
      this.put({
        t: 'tunnel',
        id: this.id,
        up: Number(bytesUp) || 0,
        down: Number(bytesDown) || 0,
      }),
    );
  }

  fail(error: WirelensError): void {
    this.guard('fail', () => {
      const e = { code: String(error?.code ?? 'INTERNAL'), message: String(error?.message ?? '') };
      this.put({ t: 'fail', id: this.id, error: e });
      this.sink.finish(this.entry, this.generation);
    });
  }

  finish(): void {
    this.guard('finish', () => this.sink.finish(this.entry, this.generation));
  }

  private put(record: LogRecord): void {
    this.sink.record(this.entry, this.generation, record);
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.sink.reportError(`exchange #${this.id} ${what}`, error);
    }
  }
}
