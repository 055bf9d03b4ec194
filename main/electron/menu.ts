/**
 * The application menu as a template built from plain actions, so it can be checked
 * without Electron: File (open/save capture, export HAR), Edit, View (reload; devtools
 * only in development), Help (about, CA certificate location).
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openCapture(): void;
  saveCapture(): void;
  exportHar(): void;
  showAbout(): void;
  showCaCertificate(): void;
}

export interface MenuOptions {
  isMac: boolean;
  isDevelopment: boolean;
  appName: string;
}

export function buildMenuTemplate(
  actions: MenuActions,
  options: MenuOptions,
): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Capture…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCapture() },
      { label: 'Save Capture…', accelerator: 'CmdOrCtrl+S', click: () => actions.saveCapture() },
      { type: 'separator' },
      { label: 'Export HAR…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportHar() },
      { type: 'separator' },
      options.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(options.isDevelopment ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: `About ${options.appName}`, click: () => actions.showAbout() },
      { label: 'CA Certificate Location…', click: () => actions.showCaCertificate() },
    ],
  };
  const appMenu: MenuItemConstructorOptions[] = options.isMac
    ? [{ role: 'appMenu', label: options.appName }]
    : [];
  return [...appMenu, file, edit, view, help];
}
