/**
 * The InspectorApi over WebSocket frames (shared/api/ws-protocol.ts). Only methods in
 * INSPECTOR_METHODS are callable; every reply is `{ id, result }` or `{ id, error }` and
 * events go to every connected (hence authenticated) socket.
 */
import type { WebSocket, WebSocketServer } from 'ws';
import {
  ERROR_CODES,
  INSPECTOR_METHODS,
  type InspectorClient,
  type InspectorMethod,
  type WirelensError,
} from '../../../shared/api/inspector-api';
import type { WsReply } from '../../../shared/api/ws-protocol';
import { decodeWireNode as decodeWire, stringifyWireNode as stringifyWire } from './node-wire';
import { checkTransportCall } from '../../core/service-arguments';
import { toWirelensError } from '../../core/service-errors';

const ALLOWED = new Set<string>(INSPECTOR_METHODS);

/** A socket that lets this much pile up unread is dropped rather than growing our memory. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

function invalid(message: string): WirelensError {
  return { code: ERROR_CODES.INVALID_ARGUMENT, message };
}

function sendReply(socket: WebSocket, reply: WsReply): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(stringifyWire(reply));
}

/** Parses one frame; returns the call, or an error reply when it is not a valid call. */
function parseCall(
  data: string,
):
  | { id: number; method: InspectorMethod; params: unknown[] }
  | { id: number; error: WirelensError } {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return { id: -1, error: invalid('The message is not JSON.') };
  }
  if (frame === null || typeof frame !== 'object') {
    return { id: -1, error: invalid('The message must be an object.') };
  }
  const { id, method, params } = frame as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { id: -1, error: invalid('The message needs a numeric id.') };
  }
  // Own-property check on a fixed set: no prototype names (constructor, __proto__ …).
  if (typeof method !== 'string' || !ALLOWED.has(method)) {
    return { id, error: invalid(`Unknown method "${String(method)}".`) };
  }
  if (params !== undefined && !Array.isArray(params)) {
    return { id, error: invalid('params must be an array of arguments.') };
  }
  return { id, method: method as InspectorMethod, params: decodeWire(params ?? []) as unknown[] };
}

/** Wires the API onto a WebSocketServer. Returns a function that detaches it. */
export function attachWsApi(wss: WebSocketServer, service: InspectorClient): () => void {
  const unsubscribe = service.onEvent((event) => {
    if (wss.clients.size === 0) return;
    const text = stringifyWire({ event });
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'Too slow to read events');
        continue;
      }
      socket.send(text);
    }
  });

  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        sendReply(socket, {
          id: -1,
          error: invalid('Binary frames are not part of the protocol.'),
        });
        return;
      }
      const call = parseCall(data.toString());
      if ('error' in call) {
        sendReply(socket, call);
        return;
      }
      const fn = service[call.method] as (...args: unknown[]) => Promise<unknown>;
      Promise.resolve()
        .then(() => {
          checkTransportCall(call.method, call.params);
          return fn.apply(service, call.params);
        })
        .then(
          (result) => sendReply(socket, { id: call.id, result: result ?? null }),
          (error: unknown) => sendReply(socket, { id: call.id, error: toWirelensError(error) }),
        );
    });
  });

  return unsubscribe;
}
