/**
 * The Electron entry point: one instance, one window, the core started before the page
 * loads, and a graceful shutdown (proxy stopped, store flushed) when the app quits.
 * Bundled to out/electron/main.cjs by ./build.mjs.
 *
 * Environment (for tests and power users): WIRELENS_DATA_DIR, WIRELENS_LISTEN=HOST:PORT.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { resolveDataDir } from '../core/data-dir';
import { InspectorService } from '../core/inspector-service';
import { registerFileChannels } from './file-channels';
import { createSenderCheck, registerIpcBridge } from './ipc-bridge';
import { buildMenuTemplate } from './menu';
import { createMenuActions } from './menu-actions';
import { createMainWindow } from './window';
import { secureSession } from './window-security';

const rendererFile = join(__dirname, '..', 'renderer', 'index.html');
const preloadPath = join(__dirname, 'preload.cjs');
const iconPath = join(__dirname, 'assets', 'icon.png');
const STORE_DIR_FLAG = '--store-dir=';

let mainWindow: BrowserWindow | null = null;
let service: InspectorService | null = null;
let detachBridge: (() => void) | null = null;
let shutdownDone = false;

/** `--store-dir=DIR`: keep the capture in another folder than the data folder (the CA stays there). */
function storeDirArgument(): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(STORE_DIR_FLAG));
  return arg ? arg.slice(STORE_DIR_FLAG.length) : undefined;
}

function listenAddress(): { host: string; port: number } | undefined {
  const match = /^(.+):(\d{1,5})$/.exec(process.env.WIRELENS_LISTEN ?? '');
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

async function start(): Promise<void> {
  secureSession(session.defaultSession);
  const dataDir = resolveDataDir({});
  service = await InspectorService.create({
    dataDir,
    storeDir: storeDirArgument(),
    listen: listenAddress(),
  });
  const core = service;
  // A damaged limits.json: said once, the defaults apply (the app still starts).
  for (const warning of core.startupWarnings) {
    void dialog.showMessageBox({ type: 'warning', message: 'Wirelens', detail: warning });
  }

  mainWindow = createMainWindow({ preloadPath, iconPath });
  const window = mainWindow;
  window.on('closed', () => {
    mainWindow = null;
  });
  const isTrustedSender = createSenderCheck({
    fromWebContents: (contents) => BrowserWindow.fromWebContents(contents),
    mainWindow: () => mainWindow,
    appUrl: pathToFileURL(rendererFile).href,
  });
  const detachContract = registerIpcBridge({
    ipcMain,
    service: core,
    isTrustedSender,
    eventTarget: () => mainWindow?.webContents ?? null,
  });
  const detachFiles = registerFileChannels({
    ipcMain,
    files: core.files,
    isTrustedSender,
    async chooseSavePath(name) {
      const options = { title: 'Save', defaultPath: name };
      const parent = mainWindow;
      const { canceled, filePath } = await (parent
        ? dialog.showSaveDialog(parent, options)
        : dialog.showSaveDialog(options));
      return canceled || !filePath ? null : filePath;
    },
  });
  detachBridge = () => {
    detachContract();
    detachFiles();
  };
  const template = buildMenuTemplate(
    createMenuActions(core, () => mainWindow),
    { isMac: process.platform === 'darwin', isDevelopment: !app.isPackaged, appName: 'Wirelens' },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  await window.loadFile(rendererFile);
}

async function shutdown(): Promise<void> {
  detachBridge?.();
  detachBridge = null;
  await service?.close();
  service = null;
}

if (!app.requestSingleInstanceLock()) {
  // Another Wirelens is running (it owns the proxy port and the store): hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (shutdownDone) return;
    // Hold the quit until the store is flushed, then quit for real.
    event.preventDefault();
    shutdownDone = true;
    shutdown()
      .catch((error: unknown) => console.error('Wirelens: shutdown failed', error))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Wirelens could not start:', error);
      // Say it in a window too: a desktop user never sees the console.
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Wirelens could not start', message);
      app.exit(1);
    });
}
