/**
 * How the proxy and the sender record what they see. Implemented by the exchange store
 * (./exchange-store.ts; its recording part is ./store-recording.ts). Producers call these
 * as bytes pass; the store appends to its on-disk log as it goes, so a crash loses at most
 * what is in flight.
 */
import type {
  ConnectionRecord,
  ExchangeSource,
  ExchangeState,
  MessageRecord,
  Timings,
  WirelensError,
} from '../../../shared/model/exchange';

export interface NewExchange {
  connectionId: number;
  indexOnConnection: number;
  source: ExchangeSource;
  /** `http`, `https` or `tunnel`. */
  scheme: string;
  /** Best knowledge of the target at the start (may be refined by `setTarget`). */
  host: string;
  port: number;
  timings: Timings;
}

/** One exchange being written. Every method is cheap and never throws on bad input. */
export interface ExchangeWriter {
  readonly id: number;
  setTarget(host: string, port: number, scheme?: string): void;
  /**
   * Raw request bytes as they arrive/leave, in order (head and body, as on the wire).
   * The store may hold on to the bytes until they are written to disk (a big body that
   * streams through is not copied): a producer must not change a buffer after passing it.
   * Socket reads give a fresh buffer each time; a producer that reuses one passes a copy.
   * Same for `appendResponse`.
   */
  appendRequest(bytes: Uint8Array): void;
  appendResponse(bytes: Uint8Array): void;
  /** The parsed view of the request head (start line, headers, spans, framing, issues). */
  setRequest(message: Omit<MessageRecord, 'rawLength'>): void;
  setResponse(message: Omit<MessageRecord, 'rawLength'>): void;
  /** A 1xx response received before the final one; its bytes were appended already. */
  addInformational(message: Omit<MessageRecord, 'rawLength'>): void;
  /** Marking `requestEnd` also moves a `pending` exchange to `request-complete`. */
  mark(name: keyof Timings, at?: number): void;
  setState(state: ExchangeState): void;
  addWarning(text: string): void;
  setTunnelBytes(bytesUp: number, bytesDown: number): void;
  /** Ends the exchange as `failed` with this error (bytes recorded so far are kept). */
  fail(error: WirelensError): void;
  /** Ends the exchange (state `complete` unless already failed or a tunnel). */
  finish(): void;
}

export interface ExchangeRecorder {
  /** Allocates a connection id and records the connection. */
  openConnection(init: Omit<ConnectionRecord, 'id'>): number;
  updateConnection(id: number, patch: Partial<Omit<ConnectionRecord, 'id'>>): void;
  startExchange(init: NewExchange): ExchangeWriter;
  /**
   * Disk writes lag far behind (a big body arrives faster than the disk takes it): a
   * producer that can wait — pause the socket it reads — should, until `whenCaughtUp`
   * calls back. Optional: what a producer appends without waiting is still recorded (the
   * store then writes in the event loop, which slows everything down instead).
   */
  readonly writesBehind?: boolean;
  whenCaughtUp?(callback: () => void): void;
}
