/**
 * The Electron side of the UI's file transport (renderer/src/api/file-transport.ts):
 * - adopt: the path of a file the user picked or dropped (the preload reads it with
 *   `webUtils.getPathForFile`) becomes an upload id — the file is read where it is;
 * - save: a file a job wrote is copied where the native save dialog says.
 * Same sender check as the contract's channels. Takes its Electron pieces as parameters
 * so it can be tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { copyFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { TransferFiles } from '../core/service-files';
import { toWirelensError } from '../core/service-errors';
import { FOREIGN_SENDER } from './ipc-bridge';
import { FILE_ADOPT_CHANNEL, FILE_SAVE_CHANNEL, type IpcOutcome } from './ipc-channels';

export interface FileChannelOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  files: TransferFiles;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Shows the native save dialog; resolves with the chosen path or null (cancelled). */
  chooseSavePath(suggestedName: string): Promise<string | null>;
}

function refuse(): IpcOutcome {
  return {
    ok: false,
    error: {
      code: FOREIGN_SENDER,
      message: 'Refused: the call did not come from the Wirelens window.',
    },
  };
}

export function registerFileChannels(options: FileChannelOptions): () => void {
  const { ipcMain, files } = options;
  const handle = (channel: string, run: (...args: unknown[]) => Promise<unknown>) =>
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcOutcome> => {
      if (!options.isTrustedSender(event)) return refuse();
      try {
        return { ok: true, value: await run(...args) };
      } catch (error) {
        return { ok: false, error: toWirelensError(error) };
      }
    });

  handle(FILE_ADOPT_CHANNEL, async (file) => {
    if (typeof file !== 'string' || !isAbsolute(file) || !(await stat(file)).isFile()) {
      throw Object.assign(new Error('Pick a file from disk.'), { code: 'INVALID_ARGUMENT' });
    }
    return files.adoptUpload(file);
  });
  handle(FILE_SAVE_CHANNEL, async (fileId) => {
    const written = files.describe(String(fileId), 'outgoing');
    const target = await options.chooseSavePath(written.name);
    if (!target) throw Object.assign(new Error('Save cancelled'), { code: 'CANCELLED' });
    await copyFile(written.file, target);
    await files.release(written.fileId);
    return { path: target };
  });
  return () => {
    ipcMain.removeHandler(FILE_ADOPT_CHANNEL);
    ipcMain.removeHandler(FILE_SAVE_CHANNEL);
  };
}
