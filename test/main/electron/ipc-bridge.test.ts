import { afterEach, describe, expect, it } from 'vitest';
import type { IpcRenderer, WebContents } from 'electron';
import {
  INSPECTOR_METHODS,
  type InspectorClient,
  type InspectorEvent,
} from '../../../shared/api/inspector-api';
import { InspectorService } from '../../../main/core/inspector-service';
import { NOT_AVAILABLE } from '../../../main/core/service-errors';
import {
  createSenderCheck,
  FOREIGN_SENDER,
  registerIpcBridge,
} from '../../../main/electron/ipc-bridge';
import {
  buildPreloadApi,
  EXPOSED_NAME,
  exposeInspectorApi,
} from '../../../main/electron/preload-api';
import { EVENT_CHANNEL } from '../../../main/electron/ipc-channels';
import { createFakeIpc } from './fake-ipc';

const APP_URL = 'file:///opt/Wirelens/resources/app.asar/out/renderer/index.html';

/** A real InspectorService with no parts, plus a list/getExchange answer and event source. */
async function createService() {
  const events = new Set<(event: InspectorEvent) => void>();
  const store = {
    list: () => ({ items: [], total: 42 }),
    get: () => null,
    readBody: async () => ({ bytes: new Uint8Array([0, 1, 2, 255]), offset: 0, total: 4 }),
    subscribe: (listener: (event: InspectorEvent) => void) => {
      events.add(listener);
      return () => events.delete(listener);
    },
    clear: () => undefined,
    close: () => undefined,
    openConnection: () => 1,
    updateConnection: () => undefined,
    startExchange: () => {
      throw new Error('not used');
    },
  };
  const service = await InspectorService.create({
    dataDir: '/nonexistent',
    startProxy: false,
    parts: { store },
  });
  return { service, push: (event: InspectorEvent) => events.forEach((l) => l(event)) };
}

function setup(service: InspectorClient) {
  const ipc = createFakeIpc();
  const mainContents = { id: 'main' };
  const mainWindow = { id: 'window' };
  const isTrustedSender = createSenderCheck({
    fromWebContents: (contents) =>
      contents === (mainContents as unknown as WebContents) ? mainWindow : null,
    mainWindow: () => mainWindow,
    appUrl: APP_URL,
  });
  ipc.setSender({ contents: mainContents, frameUrl: APP_URL + '?x=1#/list' });
  const detach = registerIpcBridge({
    ipcMain: ipc.ipcMain,
    service,
    isTrustedSender,
    eventTarget: () => ipc.webContents as unknown as WebContents,
  });
  exposeInspectorApi(ipc.contextBridge, ipc.ipcRenderer as unknown as IpcRenderer);
  const api = ipc.exposed.get(EXPOSED_NAME) as InspectorClient;
  return { ipc, api, detach, mainContents };
}

describe('Electron IPC bridge + preload', () => {
  const services: InspectorService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('registers one channel per contract method and nothing else', async () => {
    const { service } = await createService();
    services.push(service);
    const { ipc, detach } = setup(service);
    expect([...ipc.handlers.keys()].sort()).toEqual(
      INSPECTOR_METHODS.map((m) => `wirelens:${m}`).sort(),
    );
    detach();
    expect(ipc.handlers.size).toBe(0);
  });

  it('exposes exactly the allow-list plus onEvent, and never ipcRenderer', async () => {
    const { service } = await createService();
    services.push(service);
    const { api, ipc } = setup(service);
    expect(Object.keys(api).sort()).toEqual([...INSPECTOR_METHODS, 'onEvent'].sort());
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipc.ipcRenderer.invoke);
    }
    expect(ipc.exposed.size).toBe(1);
  });

  it('carries calls, results and bytes through to the service', async () => {
    const { service } = await createService();
    services.push(service);
    const { api } = setup(service);
    await expect(api.listExchanges({ limit: 10 })).resolves.toEqual({ items: [], total: 42 });
    const slice = await api.readBody({ id: 1, side: 'response', view: 'raw' });
    expect(slice.bytes).toBeInstanceOf(Uint8Array);
    expect([...slice.bytes]).toEqual([0, 1, 2, 255]);
    expect((await api.getProxyStatus()).state).toBe('stopped');
  });

  it('sends errors across as { code, message }', async () => {
    const { service } = await createService();
    services.push(service);
    const { api } = setup(service);
    const notWired = await api.getCaInfo().catch((e: unknown) => e);
    expect(notWired).toEqual({
      code: NOT_AVAILABLE,
      message: expect.stringMatching(/not available/),
    });
    const bad = await api.getExchange(-3).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses an export to a path chosen by the page', async () => {
    const { service } = await createService();
    services.push(service);
    const { api } = setup(service);
    await expect(api.exportHar({ path: '/home/user/.bashrc' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses a call from another window, another page or a subframe', async () => {
    const { service } = await createService();
    services.push(service);
    const { api, ipc, mainContents } = setup(service);
    ipc.setSender({ contents: { id: 'other-window' }, frameUrl: APP_URL });
    await expect(api.listExchanges({})).rejects.toMatchObject({ code: FOREIGN_SENDER });
    ipc.setSender({ contents: mainContents, frameUrl: 'https://evil.example/' });
    await expect(api.listExchanges({})).rejects.toMatchObject({ code: FOREIGN_SENDER });
    ipc.setSender({ contents: mainContents, frameUrl: APP_URL, isSubframe: true });
    await expect(api.listExchanges({})).rejects.toMatchObject({ code: FOREIGN_SENDER });
    ipc.setSender({ contents: mainContents, frameUrl: APP_URL });
    await expect(api.listExchanges({})).resolves.toMatchObject({ total: 42 });
  });

  it('pushes events to onEvent listeners on one channel, and unsubscribes', async () => {
    const { service, push } = await createService();
    services.push(service);
    const { api, ipc } = setup(service);
    const seen: InspectorEvent[] = [];
    const off = api.onEvent((event) => seen.push(event));
    push({ type: 'exchanges-cleared' });
    await api.stopProxy(); // emits a proxy-status event
    expect(seen.map((e) => e.type)).toEqual(['exchanges-cleared', 'proxy-status']);
    expect([...ipc.rendererListeners.keys()]).toEqual([EVENT_CHANNEL]);
    off();
    push({ type: 'exchanges-cleared' });
    expect(seen).toHaveLength(2);
    expect(ipc.rendererListeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('the preload api alone rejects with a plain { code, message } object', async () => {
    const api = buildPreloadApi({
      invoke: async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } }),
      on: () => undefined as never,
      removeListener: () => undefined as never,
    });
    const error = await api.getExchange(1).catch((e: unknown) => e);
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'gone' });
  });
});
