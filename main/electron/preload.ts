// The sandboxed preload, bundled to one CommonJS file (out/electron/preload.cjs) because
// sandboxed preloads can only `require('electron')`. Exposes `window.wirelens` and the
// file transport `window.wirelensFiles` (a dropped or picked File's path via webUtils).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeInspectorApi } from './preload-api';

exposeInspectorApi(contextBridge, ipcRenderer, (file) =>
  webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
);
