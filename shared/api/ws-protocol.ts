/**
 * The web mode's transport of the InspectorApi: one WebSocket at `/api?token=TOKEN`.
 * Client → server: `{ id, method, params }` (params = the method's arguments array).
 * Server → client: `{ id, result }` or `{ id, error: { code, message } }`, and pushed
 * events `{ event }`. Byte arrays travel as `{ $bytes: "<base64>" }` (see ./wire-encoding).
 */
import type { InspectorEvent, InspectorMethod, WirelensError } from './inspector-api';

export const WS_API_PATH = '/api';

/**
 * Files in and out of web mode, outside the WebSocket so large ones stream instead of
 * riding one JSON message (TransferFile in ./inspector-api): `POST /api/files?name=N`
 * with the raw bytes as the body answers `{ fileId, name, bytes }`; `GET /api/files/ID`
 * streams a file a job wrote. Same token, Host and Origin checks as the socket.
 */
export const FILES_API_PATH = '/api/files';

export interface WsCall {
  id: number;
  method: InspectorMethod;
  params: unknown[];
}

export type WsReply =
  | { id: number; result: unknown }
  | { id: number; error: WirelensError }
  | { event: InspectorEvent };
