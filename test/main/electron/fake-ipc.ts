/**
 * In-memory stand-ins for Electron's ipcMain / ipcRenderer / contextBridge, wired to each
 * other like the real ones: invoke → the registered handler, send → the renderer's
 * listeners. Only the transport is faked; the bridge and preload code under test is real.
 */
import type { IpcMainInvokeEvent } from 'electron';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export interface FakeSender {
  /** The identity the sender check looks at. */
  contents: object;
  frameUrl: string;
  isSubframe?: boolean;
}

export function createFakeIpc() {
  const handlers = new Map<string, Handler>();
  const rendererListeners = new Map<string, Set<RendererListener>>();
  let currentSender: FakeSender = { contents: {}, frameUrl: 'file:///app/index.html' };

  const ipcMain = {
    handle(channel: string, handler: Handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };

  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const frame = {
        url: currentSender.frameUrl,
        parent: currentSender.isSubframe ? {} : null,
      };
      const event = {
        sender: currentSender.contents,
        senderFrame: frame,
      } as unknown as IpcMainInvokeEvent;
      // Electron structured-clones arguments and results across processes.
      return structuredClone(await handler(event, ...structuredClone(args)));
    },
    on(channel: string, listener: RendererListener) {
      if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
      rendererListeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: RendererListener) {
      rendererListeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };

  /** The main window's webContents.send, delivering to the renderer's listeners. */
  const webContents = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send(channel: string, ...args: unknown[]) {
      for (const listener of rendererListeners.get(channel) ?? []) {
        listener({ sender: 'ipc-internals' }, ...structuredClone(args));
      }
    },
  };

  const exposed = new Map<string, unknown>();
  const contextBridge = {
    exposeInMainWorld(name: string, api: unknown) {
      exposed.set(name, api);
    },
  };

  return {
    ipcMain,
    ipcRenderer,
    webContents,
    contextBridge,
    exposed,
    handlers,
    rendererListeners,
    setSender(sender: FakeSender) {
      currentSender = sender;
    },
  };
}
