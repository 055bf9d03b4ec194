import { afterEach, describe, expect, it } from 'vitest';
import type { IpcRenderer } from 'electron';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransferFiles } from '../../../main/core/service-files';
import { registerFileChannels } from '../../../main/electron/file-channels';
import { FOREIGN_SENDER } from '../../../main/electron/ipc-bridge';
import { exposeInspectorApi, FILES_EXPOSED_NAME } from '../../../main/electron/preload-api';
import { createFakeIpc } from './fake-ipc';

const APP_URL = 'file:///app/index.html';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface FilesApi {
  upload(
    file: unknown,
    o?: { onProgress?(d: number, t: number): void },
  ): Promise<{ fileId: string; name: string; bytes: number }>;
  download(file: { fileId: string }): Promise<void>;
}

async function setup(savePath: string | null) {
  const root = await mkdtemp(join(tmpdir(), 'wirelens-files-ipc-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const files = new TransferFiles(join(root, 'transfers'));
  cleanups.push(async () => files.close());
  const ipc = createFakeIpc();
  const trusted = { contents: { id: 'main' }, frameUrl: APP_URL };
  ipc.setSender(trusted);
  const asked: string[] = [];
  const detach = registerFileChannels({
    ipcMain: ipc.ipcMain,
    files,
    isTrustedSender: (event) => (event.senderFrame?.url ?? '') === APP_URL,
    chooseSavePath: async (name) => {
      asked.push(name);
      return savePath;
    },
  });
  // A File stands in as { path, size }; the preload reads the path with webUtils.
  exposeInspectorApi(ipc.contextBridge, ipc.ipcRenderer as unknown as IpcRenderer, (f) =>
    String((f as { path: string }).path),
  );
  const api = ipc.exposed.get(FILES_EXPOSED_NAME) as FilesApi;
  return { root, files, ipc, api, asked, detach, trusted };
}

describe('Electron file channels', () => {
  it('adopts a picked file by its path and reads it where it is', async () => {
    const { root, files, api } = await setup(null);
    const picked = join(root, 'devtools.har');
    await writeFile(picked, '{"log":{}}');
    const progress: number[] = [];
    const got = await api.upload(
      { path: picked, size: 10 },
      { onProgress: (d) => progress.push(d) },
    );
    expect(got).toMatchObject({ name: 'devtools.har', bytes: 10 });
    expect(progress).toEqual([10]);
    expect(files.pathOf(got.fileId, 'upload')).toBe(picked);
    await files.release(got.fileId);
    expect(await readFile(picked, 'utf8')).toBe('{"log":{}}'); // the user's file stays
  });

  it('refuses relative paths, folders and other senders', async () => {
    const { root, api, ipc } = await setup(null);
    await expect(api.upload({ path: 'x.har', size: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(api.upload({ path: root, size: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    ipc.setSender({ contents: {}, frameUrl: 'https://evil.example/' });
    await expect(api.upload({ path: join(root, 'x'), size: 1 })).rejects.toMatchObject({
      code: FOREIGN_SENDER,
    });
  });

  it('saves a written file where the dialog says, once; a cancelled dialog says so', async () => {
    const { root, files, api, asked } = await setup(null);
    const out = files.reserveOutgoing('export.har');
    await writeFile(out.file, 'HAR');
    await expect(api.download({ fileId: out.fileId })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(asked).toEqual(['export.har']);

    const target = join(root, 'chosen.har');
    const second = await setup(target);
    const out2 = second.files.reserveOutgoing('second.har');
    await writeFile(out2.file, 'HAR2');
    await second.api.download({ fileId: out2.fileId });
    expect(await readFile(target, 'utf8')).toBe('HAR2');
    await expect(second.api.download({ fileId: out2.fileId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
