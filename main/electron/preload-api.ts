/**
 * What the preload exposes as `window.wirelens`: one function per method of the allow-list
 * plus `onEvent(cb)` returning an unsubscribe — never `ipcRenderer` itself, so the page
 * can reach nothing but the contract. Takes `ipcRenderer`/`contextBridge` as parameters so
 * it can be tested without Electron.
 */
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import {
  INSPECTOR_METHODS,
  type InspectorClient,
  type InspectorEvent,
} from '../../shared/api/inspector-api';
import { EVENT_CHANNEL, methodChannel, type IpcOutcome } from './ipc-channels';

export const EXPOSED_NAME = 'wirelens';

type RendererIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function buildPreloadApi(ipcRenderer: RendererIpc): InspectorClient {
  const api: Record<string, unknown> = {};
  for (const method of INSPECTOR_METHODS) {
    api[method] = async (...args: unknown[]) => {
      const outcome = (await ipcRenderer.invoke(methodChannel(method), ...args)) as IpcOutcome;
      // A plain { code, message } object survives the context bridge; an Error's code would not.
      if (!outcome.ok) throw { code: outcome.error.code, message: outcome.error.message };
      return outcome.value;
    };
  }
  api.onEvent = (listener: (event: InspectorEvent) => void) => {
    // Hand the page the event only, not Electron's IpcRendererEvent (it holds `sender`).
    const relay = (_event: IpcRendererEvent, payload: InspectorEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  };
  return api as unknown as InspectorClient;
}

export function exposeInspectorApi(
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipcRenderer: RendererIpc,
): void {
  contextBridge.exposeInMainWorld(EXPOSED_NAME, buildPreloadApi(ipcRenderer));
}
