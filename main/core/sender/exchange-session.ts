/**
 * Writes prepared requests on an open connection and reads their responses, under the
 * first-byte / idle / total timeouts and the caller's AbortSignal. Never rejects: each
 * request gets an outcome, with the bytes received so far when something went wrong.
 */
import type net from 'node:net';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { WirelensError } from '../../../shared/model/exchange';
import { now } from './clock';
import { ResponseReader, type ReaderHooks } from './response-reader';
import { cancelledError, describeNetworkError, timeoutError } from './sender-error';

export interface SessionTimeouts {
  firstByteMs: number;
  idleMs: number;
  /** Absolute time (as `now()`) by which everything must be over. */
  deadline: number;
  totalMs: number;
}

export interface SessionInput {
  socket: net.Socket;
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
  const { socket, timeouts, where } = input;
  const hooks = input.hooks ?? {};
  let firstByteSeen = false;
  const reader = new ResponseReader(
    input.requests.map((r) => r.method),
    hooks,
  );
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const total = setTimeout(
      () => finish(timeoutError('total', timeouts.totalMs, where)),
      Math.max(0, timeouts.deadline - now()),
    );
    let armed = '';
    const arm = (which: string, ms: number) => {
      // Re-arming the same timeout on every chunk: refresh() is cheaper than a new timer.
      if (timer && armed === which) {
        timer.refresh();
        return;
      }
      clearTimeout(timer);
      armed = which;
      timer = setTimeout(() => finish(timeoutError(which, ms, where)), ms);
    };
    const finish = (error: WirelensError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(total);
      input.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onClose);
      const lastHead = reader.slots[reader.slots.length - 1]?.head;
      const reusable =
        !error &&
        !ended &&
        !socket.destroyed &&
        reader.done &&
        !!lastHead?.keepAlive &&
        // After close framing, a CONNECT's 2xx or a 101 the connection is no longer HTTP.
        lastHead.framing !== 'close' &&
        lastHead.framing !== 'tunnel' &&
        lastHead.statusCode !== 101;
      if (!reusable) socket.destroy();
      resolve({ reader, error, failedIndex: error ? reader.currentIndex : -1, reusable });
    };
    const onData = (chunk: Buffer) => {
      firstByteSeen = true;
      reader.push(chunk);
      if (reader.fatal) return finish(parseError(reader.fatal.message, where));
      if (reader.done) return finish(null);
      arm('idle', timeouts.idleMs);
    };
    const onEnd = () => {
      ended = true;
      reader.end();
      if (reader.done) return finish(null);
      finish(closedEarly(reader.receivedBytes, where));
    };
    const onError = (err: Error) => finish(describeNetworkError(err, 'exchange', where));
    const onClose = () => onEnd();
    const onAbort = () => finish(cancelledError());

    if (input.signal?.aborted) return onAbort();
    input.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('close', onClose);
    const bytes = joinRequests(input.requests);
    socket.write(bytes, (err) => {
      if (err) return finish(describeNetworkError(err, 'exchange', where));
      hooks.onWritten?.(now());
      if (!firstByteSeen && !settled) arm('first-byte', timeouts.firstByteMs);
    });
  });
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
