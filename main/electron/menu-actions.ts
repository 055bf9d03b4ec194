/**
 * What the menu entries do: dialogs over the inspector service. Capture files and other
 * verbs the service lacks show a plain message instead of failing silently.
 */
import { app, clipboard, dialog, shell, type BrowserWindow } from 'electron';
import type { InspectorClient, OpenCaptureResult } from '../../shared/api/inspector-api';
import type { MenuActions } from './menu';

function messageOf(error: unknown): string {
  return error instanceof Error
    ? error.message
    : String((error as { message?: unknown })?.message ?? error);
}

/** The service as the menu uses it: the contract plus capture files at chosen paths. */
export type MenuService = InspectorClient & {
  saveCaptureTo(file: string): Promise<{ path: string; bytes: number }>;
  openCaptureFrom(file: string): Promise<OpenCaptureResult>;
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
    // Replaces the session in place after a confirmation; the current one is archived
    // like Clear archives it. The window shows the progress (job events) and reloads.
    openCapture: () => {
      const parent = window();
      const options = {
        title: 'Open Capture',
        properties: ['openFile' as const],
        filters: [{ name: 'Wirelens capture', extensions: ['wlcap'] }],
      };
      void (parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options))
        .then(async ({ canceled, filePaths }) => {
          const file = filePaths[0];
          if (canceled || !file) return;
          const { total } = await service.listExchanges({ limit: 0 });
          if (total > 0) {
            const confirm = {
              type: 'question' as const,
              message: `Replace the current session (${total} exchanges) with ${file}?`,
              detail: 'The current session is archived in the data folder, as Clear does.',
              buttons: ['Open', 'Cancel'],
              defaultId: 0,
              cancelId: 1,
            };
            const { response } = await (parent
              ? dialog.showMessageBox(parent, confirm)
              : dialog.showMessageBox(confirm));
            if (response !== 0) return;
          }
          await service.openCaptureFrom(file);
        })
        .catch(fail('Open capture'));
    },
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
          const saved = await service.saveCaptureTo(filePath);
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
