/**
 * The one place the renderer gets its InspectorClient. Stores call
 * `createInspectorClient()` and never learn which transport is underneath:
 * - inside Electron the preload has put `window.wirelens` there (IPC);
 * - in a browser (`wirelens web`) the contract travels over a WebSocket to `/api`,
 *   authenticated by the `token` query parameter of the link `wirelens web` printed.
 * Every method rejects with an ApiError ({ code, message }) whichever it is.
 */
import {
  INSPECTOR_METHODS,
  type InspectorApi,
  type InspectorClient,
  type InspectorMethod,
} from '../../../shared/api/inspector-api';
import { WS_API_PATH } from '../../../shared/api/ws-protocol';
import { ApiError, CLIENT_ERROR_CODES, toApiError } from './api-error';
import { createWsClient, type SocketLike } from './ws-client';

export { ApiError, CLIENT_ERROR_CODES } from './api-error';
export { RECONNECTED_NOTICE } from './ws-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload (main/electron/preload.ts); absent in a browser. */
    wirelens?: InspectorClient;
  }
}

const TOKEN_KEY = 'wirelens.token';
let shared: InspectorClient | null = null;

/** Returns the page's client (one per page: one socket, one set of listeners). */
export function createInspectorClient(): InspectorClient {
  shared ??= window.wirelens ? wrapBridge(window.wirelens) : createBrowserClient();
  return shared;
}

/** Preload rejections arrive as plain `{ code, message }` objects; make them ApiErrors. */
function wrapBridge(bridge: InspectorClient): InspectorClient {
  const api = {} as Record<InspectorMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of INSPECTOR_METHODS) {
    const fn = bridge[method] as (...args: unknown[]) => Promise<unknown>;
    api[method] = (...args) =>
      Promise.resolve()
        .then(() => fn(...args))
        .catch((reason: unknown) => {
          throw toApiError(reason);
        });
  }
  return Object.assign(api as unknown as InspectorApi, {
    onEvent: (listener: Parameters<InspectorClient['onEvent']>[0]) => bridge.onEvent(listener),
  });
}

/** The token from `?token=` (kept for this tab so a reload without it still works). */
export function readToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  try {
    if (fromUrl) window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl ?? window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return fromUrl; // Storage can be disabled; the URL still works.
  }
}

function createBrowserClient(): InspectorClient {
  const token = readToken();
  const { protocol, host } = window.location;
  if (!token || (protocol !== 'http:' && protocol !== 'https:')) return createUnauthorizedClient();
  const scheme = protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${host}${WS_API_PATH}?token=${encodeURIComponent(token)}`;
  return createWsClient({ url, connect: (u) => new WebSocket(u) as unknown as SocketLike });
}

/** Without a token nothing can work; say how to fix it instead of failing obscurely. */
function createUnauthorizedClient(): InspectorClient {
  const error = new ApiError(
    CLIENT_ERROR_CODES.UNAUTHORIZED,
    'Open Wirelens with the link printed by `wirelens web` (it carries the access token).',
  );
  const api = {} as Record<InspectorMethod, () => Promise<never>>;
  for (const method of INSPECTOR_METHODS) api[method] = () => Promise.reject(error);
  return Object.assign(api as unknown as InspectorApi, { onEvent: () => () => {} });
}
