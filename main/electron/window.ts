/** Creates the one Wirelens window with the settings of ./window-security.ts. */
import { BrowserWindow, shell } from 'electron';
import { guardNavigation, secureWebPreferences } from './window-security';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Wirelens',
    icon: options.iconPath,
    // Shown once the page painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  guardNavigation(window.webContents, { openExternal: (url) => shell.openExternal(url) });
  window.once('ready-to-show', () => window.show());
  return window;
}
