// The sandboxed preload, bundled to one CommonJS file (out/electron/preload.cjs) because
// sandboxed preloads can only `require('electron')`. Exposes `window.wirelens`.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeInspectorApi } from './preload-api';

exposeInspectorApi(contextBridge, ipcRenderer);
