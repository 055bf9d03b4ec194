/**
 * The web mode's InspectorClient: the contract over one WebSocket (see
 * shared/api/ws-protocol.ts). Free of DOM types so Node tests can drive it with the `ws`
 * package; the browser passes its own `WebSocket`.
 *
 * Calls made before the socket opens are queued. If the socket drops, calls in flight
 * reject with DISCONNECTED, a `notice` event says so, and the client reconnects with
 * backoff; on reconnect it emits an info `notice` with `message` = RECONNECTED_NOTICE so a
 * store can fetch a fresh snapshot (events sent while disconnected were missed).
 */
import {
  INSPECTOR_METHODS,
  type InspectorApi,
  type InspectorClient,
  type InspectorEvent,
  type InspectorMethod,
} from '../../../shared/api/inspector-api';
import type { WsCall, WsReply } from '../../../shared/api/ws-protocol';
import { encodeWireFast as encodeWire, parseWireFast as parseWire } from './fast-wire';
import { ApiError, CLIENT_ERROR_CODES, toApiError } from './api-error';

/** What the client needs of a WebSocket (the browser's and `ws`'s both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface WsClientOptions {
  /** Full URL including the token, e.g. `ws://127.0.0.1:8081/api?token=…`. */
  url: string;
  connect(url: string): SocketLike;
  /** Reconnect delays grow from `minRetryMs` to `maxRetryMs` (defaults 250 / 5000). */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export const RECONNECTED_NOTICE = 'Reconnected to Wirelens.';

export interface WsInspectorClient extends InspectorClient {
  /** Closes the socket for good; pending and later calls reject with DISCONNECTED. */
  dispose(): void;
}

const OPEN = 1;

interface Pending {
  resolve(value: unknown): void;
  reject(error: ApiError): void;
}

export function createWsClient(options: WsClientOptions): WsInspectorClient {
  const minRetry = options.minRetryMs ?? 250;
  const maxRetry = options.maxRetryMs ?? 5000;
  const listeners = new Set<(event: InspectorEvent) => void>();
  const pending = new Map<number, Pending>();
  let queue: string[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let disposed = false;
  let retryMs = minRetry;
  let everOpened = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const emit = (event: InspectorEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One faulty listener must not starve the others of events.
        console.error('Wirelens event listener failed', error);
      }
    }
  };

  const failPending = (message: string) => {
    const error = new ApiError(CLIENT_ERROR_CODES.DISCONNECTED, message);
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    queue = [];
  };

  const handleReply = (data: unknown) => {
    if (typeof data !== 'string') return;
    let reply: WsReply;
    try {
      // Byte arrays decoded in the same step; a frame without any is not walked again.
      reply = parseWire(data) as WsReply;
    } catch {
      return; // Not ours to crash on; the server only sends JSON.
    }
    if ('event' in reply) {
      emit(reply.event as InspectorEvent);
      return;
    }
    const entry = pending.get(reply.id);
    if (!entry) return;
    pending.delete(reply.id);
    if ('error' in reply) entry.reject(toApiError(reply.error));
    else entry.resolve(reply.result);
  };

  const open = () => {
    if (disposed || socket) return;
    const current = options.connect(options.url);
    socket = current;
    current.onopen = () => {
      retryMs = minRetry;
      if (everOpened) emit({ type: 'notice', level: 'info', message: RECONNECTED_NOTICE });
      everOpened = true;
      for (const frame of queue) current.send(frame);
      queue = [];
    };
    current.onmessage = (event) => handleReply(event.data);
    current.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      const hadCalls = pending.size > 0 || queue.length > 0;
      failPending('The connection to Wirelens was lost.');
      if (disposed) return;
      if (everOpened || hadCalls) {
        emit({
          type: 'notice',
          level: 'error',
          message: 'The connection to Wirelens was lost; reconnecting…',
          error: { code: CLIENT_ERROR_CODES.DISCONNECTED, message: 'Connection lost.' },
        });
      }
      retryTimer = setTimeout(() => {
        retryTimer = null;
        open();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetry);
    };
  };

  const call = (method: InspectorMethod, params: unknown[]): Promise<unknown> => {
    if (disposed) {
      return Promise.reject(new ApiError(CLIENT_ERROR_CODES.DISCONNECTED, 'The client is closed.'));
    }
    const id = nextId++;
    const frame: WsCall = { id, method, params: encodeWire(params) as unknown[] };
    const text = JSON.stringify(frame);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      open();
      if (socket && socket.readyState === OPEN) socket.send(text);
      else queue.push(text);
    });
  };

  const api = {} as Record<InspectorMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of INSPECTOR_METHODS) {
    // Drop trailing undefined arguments: JSON would turn them into null.
    api[method] = (...args: unknown[]) => {
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      return call(method, args);
    };
  }

  return Object.assign(api as unknown as InspectorApi, {
    onEvent(listener: (event: InspectorEvent) => void) {
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = socket;
      socket = null;
      failPending('The client is closed.');
      current?.close(1000, 'client closed');
    },
  });
}
