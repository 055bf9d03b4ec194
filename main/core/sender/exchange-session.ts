/**
 * Writes prepared requests on an open connection and reads their responses, under the
 * first-byte / idle / total timeouts and the caller's AbortSignal. Never rejects: each
 * request gets an outcome, with the bytes received so far when something went wrong.
 *
 * Per send it costs one object and one timer: the socket's listeners are attached once
 * per connection (./socket-events.ts) and this session is their sink while it runs; the
 * timer is set for the earliest moment any timeout could expire and, when it fires, checks
 * the real deadlines (the first byte and each chunk only move a time mark).
 */
import type net from 'node:net';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { WirelensError } from '../../../shared/model/exchange';
import { nowMs as now } from '../clock';
import { ResponseReader, type ReaderHooks } from './response-reader';
import { cancelledError, describeNetworkError, timeoutError } from './sender-error';
import type { SocketEventSink, SocketEvents } from './socket-events';

export interface SessionTimeouts {
  firstByteMs: number;
  idleMs: number;
  /** Absolute time (as `now()`) by which everything must be over. */
  deadline: number;
  totalMs: number;
}

export interface SessionInput {
  socket: net.Socket;
  /** The socket's listeners; the session is their sink while it runs. */
  events: SocketEvents;
  requests: Array<{ bytes: Uint8Array; method: string }>;
  timeouts: SessionTimeouts;
  signal?: AbortSignal;
  /** `http://host:port`, for messages. */
  where: string;
  hooks?: ReaderHooks & { onWritten?(at: number): void };
}

export interface SessionOutcome {
  reader: ResponseReader;
  /** Error of the first unanswered request; later ones were not answered either. */
  error: WirelensError | null;
  /** Index of the request the error hit (requests before it were answered). */
  failedIndex: number;
  /** The connection can carry another request. */
  reusable: boolean;
}

export function runSession(input: SessionInput): Promise<SessionOutcome> {
  return new Promise((resolve) => new ExchangeSession(input, resolve).start());
}

/** No timer is set closer than this to its deadline: timers fire on a millisecond clock. */
const TIMER_SLACK_MS = 1;

class ExchangeSession implements SocketEventSink {
  private readonly reader: ResponseReader;
  private readonly hooks: NonNullable<SessionInput['hooks']>;
  private settled = false;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (as `now()`): no deadline may come before it. */
  private timerDue = Infinity;
  /** When the request was written (NaN: not yet), and when the last response byte came. */
  private writtenAt = NaN;
  private lastByteAt = NaN;

  constructor(
    private readonly input: SessionInput,
    private readonly resolve: (outcome: SessionOutcome) => void,
  ) {
    this.hooks = input.hooks ?? {};
    const methods =
      input.requests.length === 1
        ? [input.requests[0].method]
        : input.requests.map((r) => r.method);
    this.reader = new ResponseReader(methods, this.hooks);
  }

  start(): void {
    const { signal, socket, timeouts } = this.input;
    if (signal?.aborted) return this.finish(cancelledError());
    // An object listener (handleEvent): no closure per send.
    signal?.addEventListener('abort', this, { once: true });
    this.input.events.sink = this;
    this.arm(Math.min(timeouts.firstByteMs, timeouts.deadline - now()));
    socket.write(joinRequests(this.input.requests), this.written.bind(this));
  }

  /** AbortSignal listener. */
  handleEvent(): void {
    this.finish(cancelledError());
  }

  data(chunk: Buffer): void {
    if (this.settled) return;
    const first = Number.isNaN(this.lastByteAt);
    this.lastByteAt = now();
    const reader = this.reader;
    reader.push(chunk);
    if (reader.fatal) return this.finish(parseError(reader.fatal.message, this.input.where));
    if (reader.done) return this.finish(null);
    // From now on the idle timeout applies; it may expire before the timer set so far.
    const idleDue = this.lastByteAt + this.input.timeouts.idleMs;
    if (first && idleDue < this.timerDue) {
      clearTimeout(this.timer);
      this.arm(idleDue - this.lastByteAt);
    }
  }

  end(): void {
    if (this.settled) return;
    this.ended = true;
    this.reader.end();
    if (this.reader.done) return this.finish(null);
    this.finish(closedEarly(this.reader.receivedBytes, this.input.where));
  }

  error(err: Error): void {
    this.finish(describeNetworkError(err, 'exchange', this.input.where));
  }

  close(): void {
    this.end();
  }

  private written(err?: Error | null): void {
    if (err) return this.finish(describeNetworkError(err, 'exchange', this.input.where));
    this.writtenAt = now();
    this.hooks.onWritten?.(this.writtenAt);
  }

  private arm(inMs: number): void {
    const ms = Math.max(TIMER_SLACK_MS, inMs);
    this.timerDue = now() + ms;
    this.timer = setTimeout(fireTimer, ms, this);
  }

  /** Timer: which timeout has expired, if any; else re-arms for the next possible expiry. */
  onTimer(): void {
    if (this.settled) return;
    const { timeouts, where } = this.input;
    const at = now();
    const candidates: Array<[string, number, number]> = [
      ['total', timeouts.deadline, timeouts.totalMs],
    ];
    if (Number.isNaN(this.lastByteAt)) {
      // The first-byte wait starts when the request is written.
      const from = Number.isNaN(this.writtenAt) ? at : this.writtenAt;
      candidates.push(['first-byte', from + timeouts.firstByteMs, timeouts.firstByteMs]);
    } else {
      candidates.push(['idle', this.lastByteAt + timeouts.idleMs, timeouts.idleMs]);
    }
    candidates.sort((a, b) => a[1] - b[1]);
    const [which, due, ms] = candidates[0];
    if (due - at < TIMER_SLACK_MS) return this.finish(timeoutError(which, ms, where));
    this.arm(due - at);
  }

  private finish(error: WirelensError | null): void {
    if (this.settled) return;
    this.settled = true;
    const { socket, events, signal } = this.input;
    clearTimeout(this.timer);
    signal?.removeEventListener('abort', this);
    if (events.sink === this) events.sink = null;
    const reader = this.reader;
    const lastHead = reader.slots[reader.slots.length - 1]?.head;
    const reusable =
      !error &&
      !this.ended &&
      !socket.destroyed &&
      reader.done &&
      !!lastHead?.keepAlive &&
      // After close framing, a CONNECT's 2xx or a 101 the connection is no longer HTTP.
      lastHead.framing !== 'close' &&
      lastHead.framing !== 'tunnel' &&
      lastHead.statusCode !== 101;
    if (!reusable) socket.destroy();
    this.resolve({ reader, error, failedIndex: error ? reader.currentIndex : -1, reusable });
  }
}

function fireTimer(session: ExchangeSession): void {
  session.onTimer();
}

function joinRequests(requests: Array<{ bytes: Uint8Array }>): Uint8Array {
  return requests.length === 1 ? requests[0].bytes : Buffer.concat(requests.map((r) => r.bytes));
}

function parseError(detail: string, where: string): WirelensError {
  return {
    code: ERROR_CODES.UPSTREAM_PARSE_ERROR,
    message: `${where} sent a response that cannot be read: ${detail}`,
  };
}

function closedEarly(received: number, where: string): WirelensError {
  return {
    code: ERROR_CODES.UPSTREAM_RESET,
    message:
      received === 0
        ? `${where} closed the connection without answering`
        : `${where} closed the connection before the response was complete (${received} bytes received)`,
  };
}
