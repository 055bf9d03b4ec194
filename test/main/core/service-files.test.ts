import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeFileName, TransferFiles } from '../../../main/core/service-files';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function box() {
  const root = await mkdtemp(join(tmpdir(), 'wirelens-transfers-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const files = new TransferFiles(join(root, 'transfers'));
  cleanups.push(async () => files.close());
  return { root, files };
}

describe('transfer files', () => {
  it('keeps names to a plain file name', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeFileName('C:\\Users\\a\\..\\b.har', 'x')).toMatch(/^[\w.\- ()+,@]+$/);
    expect(safeFileName('.hidden', 'x')).toBe('hidden');
    expect(safeFileName('a"b\r\n.har', 'x')).toBe('a_b_.har');
    expect(safeFileName('', 'fallback.bin')).toBe('fallback.bin');
  });

  it('touches no disk until used, and empties its folder on first use and on close', async () => {
    const { root, files } = await box();
    expect(existsSync(files.dir)).toBe(false);
    await mkdir(files.dir);
    await writeFile(join(files.dir, 'stale-from-a-crash'), 'x');
    const { file } = files.reserveUpload('a.har');
    expect(existsSync(join(files.dir, 'stale-from-a-crash'))).toBe(false);
    await writeFile(file, 'data');
    files.close();
    expect(existsSync(files.dir)).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('names files only by ids it gave out, each for one direction', async () => {
    const { files } = await box();
    const up = files.reserveUpload('in.har');
    await writeFile(up.file, 'in');
    const out = files.reserveOutgoing('out.har');
    await writeFile(out.file, 'out!');
    expect(files.pathOf(up.fileId, 'upload')).toBe(up.file);
    expect(() => files.pathOf(up.fileId, 'outgoing')).toThrow(/No exported file/);
    expect(() => files.pathOf(out.fileId, 'upload')).toThrow(/No uploaded file/);
    expect(() => files.pathOf('../../etc/passwd', 'upload')).toThrow();
    expect(() => files.pathOf(42, 'upload')).toThrow();
    expect(files.describe(out.fileId, 'outgoing')).toMatchObject({ name: 'out.har', bytes: 4 });
    await files.release(out.fileId);
    expect(existsSync(out.file)).toBe(false);
    expect(() => files.describe(out.fileId, 'outgoing')).toThrow();
  });

  it('never deletes a file the user picked (adopted by path)', async () => {
    const { root, files } = await box();
    const picked = join(root, 'mine.wlcap');
    await writeFile(picked, 'capture');
    const adopted = files.adoptUpload(picked);
    expect(adopted).toMatchObject({ name: 'mine.wlcap', bytes: 7 });
    await files.release(adopted.fileId);
    files.close();
    expect(existsSync(picked)).toBe(true);
  });
});
