/**
 * The main-process side of the Electron transport: one `ipcMain.handle` per method of the
 * InspectorApi allow-list, each refusing calls that do not come from the app's own window
 * and page, plus the event stream to that window. Takes `ipcMain` as a parameter so it
 * can be tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  INSPECTOR_METHODS,
  type InspectorClient,
  type InspectorEvent,
} from '../../shared/api/inspector-api';
import { checkTransportCall } from '../core/service-arguments';
import { toWirelensError } from '../core/service-errors';
import { EVENT_CHANNEL, methodChannel, type IpcOutcome } from './ipc-channels';

export const FOREIGN_SENDER = 'FOREIGN_SENDER';

export interface IpcBridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  service: InspectorClient;
  /** True only for the main window's top frame showing the app's own page. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Where events go (the main window's webContents), or null while there is none. */
  eventTarget(): Pick<WebContents, 'send' | 'isDestroyed'> | null;
}

export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  const { ipcMain, service } = options;
  for (const method of INSPECTOR_METHODS) {
    ipcMain.handle(
      methodChannel(method),
      async (event, ...args: unknown[]): Promise<IpcOutcome> => {
        if (!options.isTrustedSender(event)) {
          return {
            ok: false,
            error: {
              code: FOREIGN_SENDER,
              message: 'Refused: the call did not come from the Wirelens window.',
            },
          };
        }
        try {
          checkTransportCall(method, args);
          const fn = service[method] as (...params: unknown[]) => Promise<unknown>;
          return { ok: true, value: await fn.apply(service, args) };
        } catch (error) {
          return { ok: false, error: toWirelensError(error) };
        }
      },
    );
  }
  const unsubscribe = service.onEvent((event: InspectorEvent) => {
    const target = options.eventTarget();
    if (target && !target.isDestroyed()) target.send(EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    for (const method of INSPECTOR_METHODS) ipcMain.removeHandler(methodChannel(method));
  };
}

export interface SenderCheckOptions {
  /** `BrowserWindow.fromWebContents`, injected. */
  fromWebContents(contents: WebContents): unknown;
  mainWindow(): unknown;
  /** The URL the app's page is loaded from (file:///…/out/renderer/index.html). */
  appUrl: string;
}

/** Builds the check: same window, its top frame, and the app's own page URL. */
export function createSenderCheck(options: SenderCheckOptions) {
  const appPage = stripHashAndQuery(options.appUrl);
  return (event: IpcMainInvokeEvent): boolean => {
    const window = options.mainWindow();
    if (!window || options.fromWebContents(event.sender) !== window) return false;
    const frame = event.senderFrame;
    // Subframes (none are expected) and other pages (after a navigation) are refused.
    if (!frame || frame.parent !== null) return false;
    return stripHashAndQuery(frame.url) === appPage;
  };
}

function stripHashAndQuery(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    parsed.search = '';
    return parsed.href;
  } catch {
    return '';
  }
}
