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
import {
  EVENT_CHANNEL,
  FILE_ADOPT_CHANNEL,
  FILE_SAVE_CHANNEL,
  methodChannel,
  type IpcOutcome,
} from './ipc-channels';

export const EXPOSED_NAME = 'wirelens';
/** The file transport (renderer/src/api/file-transport.ts), next to the contract. */
export const FILES_EXPOSED_NAME = 'wirelensFiles';

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

async function invokeOutcome(ipcRenderer: RendererIpc, channel: string, ...args: unknown[]) {
  const outcome = (await ipcRenderer.invoke(channel, ...args)) as IpcOutcome;
  if (!outcome.ok) throw { code: outcome.error.code, message: outcome.error.message };
  return outcome.value;
}

/**
 * `window.wirelensFiles`: a picked file is handed over by its path (read where it is, so
 * no upload and no progress to show), a written file is saved through the native dialog.
 */
export function buildFilesApi(
  ipcRenderer: RendererIpc,
  pathForFile: (file: unknown) => string,
): {
  upload(
    file: { size: number },
    options?: { onProgress?(done: number, total: number): void },
  ): Promise<unknown>;
  download(file: { fileId: string }): Promise<string>;
} {
  return {
    async upload(file, options) {
      const value = await invokeOutcome(ipcRenderer, FILE_ADOPT_CHANNEL, pathForFile(file));
      options?.onProgress?.(file.size, file.size);
      return value;
    },
    async download(file) {
      const saved = (await invokeOutcome(ipcRenderer, FILE_SAVE_CHANNEL, file.fileId)) as {
        path: string;
      };
      return saved.path;
    },
  };
}

export function exposeInspectorApi(
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipcRenderer: RendererIpc,
  pathForFile?: (file: unknown) => string,
): void {
  contextBridge.exposeInMainWorld(EXPOSED_NAME, buildPreloadApi(ipcRenderer));
  if (pathForFile) {
    contextBridge.exposeInMainWorld(FILES_EXPOSED_NAME, buildFilesApi(ipcRenderer, pathForFile));
  }
}
