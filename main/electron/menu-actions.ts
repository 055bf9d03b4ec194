/**
 * What the menu entries do: dialogs over the inspector service. Capture files and other
 * verbs the service lacks show a plain message instead of failing silently.
 */
import { app, clipboard, dialog, shell, type BrowserWindow } from 'electron';
import type { InspectorClient } from '../../shared/api/inspector-api';
import type { MenuActions } from './menu';

function messageOf(error: unknown): string {
  return error instanceof Error
    ? error.message
    : String((error as { message?: unknown })?.message ?? error);
}

/** The service as the menu uses it: the contract plus saving capture files. */
export type MenuService = InspectorClient & {
  saveCapture(file: string): Promise<{ path: string; bytes: number }>;
};

export function createMenuActions(
  service: MenuService,
  window: () => BrowserWindow | null,
): MenuActions {
  const info = async (message: string, detail?: string) => {
    const parent = window();
    const options = { type: 'info' as const, message, detail, buttons: ['OK'] };
    await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  };
  const fail = (what: string) => (error: unknown) => void info(`${what} failed`, messageOf(error));

  return {
    // Opening a capture means replacing the live store (and keeping the CA, which shares
    // its folder); until the service can swap stores, say so rather than do it halfway.
    openCapture: () =>
      void info(
        'Opening capture files is not available in the app yet.',
        'Use `wirelens import FILE.har` or open the capture with the CLI.',
      ),
    saveCapture: () => {
      const parent = window();
      const options = {
        title: 'Save Capture',
        defaultPath: 'wirelens-capture.wlcap',
        filters: [{ name: 'Wirelens capture', extensions: ['wlcap'] }],
      };
      void (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options))
        .then(async ({ canceled, filePath }) => {
          if (canceled || !filePath) return;
          const saved = await service.saveCapture(filePath);
          await info(`Saved the capture (${saved.bytes} bytes).`, saved.path);
        })
        .catch(fail('Save capture'));
    },
    exportHar: () => {
      const parent = window();
      const options = {
        title: 'Export HAR',
        defaultPath: 'wirelens-capture.har',
        filters: [{ name: 'HTTP Archive', extensions: ['har'] }],
      };
      void (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options))
        .then(async ({ canceled, filePath }) => {
          if (canceled || !filePath) return;
          const result = await service.exportHar({ path: filePath });
          await info(`Exported ${result.count} exchanges.`, filePath);
        })
        .catch(fail('Export HAR'));
    },
    showAbout: () =>
      void info(
        `Wirelens ${app.getVersion()}`,
        'An HTTP traffic inspector: a capture proxy, a raw-socket sender and a byte-exact message view.',
      ),
    showCaCertificate: () => {
      void service
        .getCaInfo()
        .then(async (ca) => {
          const parent = window();
          const options = {
            type: 'info' as const,
            message: 'Wirelens CA certificate',
            detail: `${ca.certPath}\n\nSHA-256: ${ca.sha256Fingerprint}\nSPKI: ${ca.spkiFingerprint}`,
            buttons: ['OK', 'Show in Folder', 'Copy Path'],
          };
          const { response } = await (parent
            ? dialog.showMessageBox(parent, options)
            : dialog.showMessageBox(options));
          if (response === 1) shell.showItemInFolder(ca.certPath);
          if (response === 2) clipboard.writeText(ca.certPath);
        })
        .catch(fail('CA certificate'));
    },
  };
}
