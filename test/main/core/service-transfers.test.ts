import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectorEvent, JobEndedEvent } from '../../../shared/api/inspector-api';
import { InspectorService } from '../../../main/core/inspector-service';
import { generateHar } from '../../support/har-generator';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wirelens-jobs-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function service(dataDir: string) {
  const s = await InspectorService.create({ dataDir, startProxy: false });
  cleanups.push(() => s.close());
  return s;
}

function events(s: InspectorService): InspectorEvent[] {
  const seen: InspectorEvent[] = [];
  s.onEvent((e) => seen.push(e));
  return seen;
}

/** Puts `text` where an upload would land and returns its id (as the web bridge does). */
async function upload(s: InspectorService, name: string, text: string | Buffer): Promise<string> {
  const { fileId, file } = s.files.reserveUpload(name);
  await writeFile(file, text);
  return fileId;
}

const ended = (seen: InspectorEvent[]) =>
  seen.filter((e): e is JobEndedEvent => e.type === 'job-ended');

describe('service jobs: progress and cancel', () => {
  it('imports an uploaded HAR with progress events and a plain ending message', async () => {
    const s = await service(await tempDir());
    const seen = events(s);
    const fileId = await upload(s, 'many.har', generateHar(450));
    const result = await s.importHar({ fileId, name: 'many.har', jobId: 'imp-1' });
    expect(result).toMatchObject({ imported: 450, skipped: [] });
    const progress = seen.filter((e) => e.type === 'job-progress' && e.jobId === 'imp-1');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ kind: 'import-har', done: 450, total: 450 });
    expect(ended(seen)).toEqual([
      {
        type: 'job-ended',
        jobId: 'imp-1',
        kind: 'import-har',
        outcome: 'done',
        message: 'Imported 450 exchanges from many.har.',
      },
    ]);
    // The upload was consumed.
    await expect(s.importHar({ fileId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cancel mid-import keeps what came in and says how far it got', async () => {
    const s = await service(await tempDir());
    const seen = events(s);
    const fileId = await upload(s, 'big.har', generateHar(3000));
    s.onEvent((e) => {
      if (e.type === 'job-progress' && e.phase === 'Importing' && e.done >= 500) {
        void s.cancelJob('imp-2');
      }
    });
    const result = await s.importHar({ fileId, name: 'big.har', jobId: 'imp-2' });
    expect(result.cancelled).toBe(true);
    expect(result.total).toBe(3000);
    expect(result.imported).toBeGreaterThanOrEqual(500);
    expect(result.imported).toBeLessThan(3000);
    expect((await s.listExchanges({ limit: 0 })).total).toBe(result.imported);
    const end = ended(seen)[0];
    expect(end.outcome).toBe('cancelled');
    expect(end.message).toBe(
      `Import of big.har cancelled after ${result.imported.toLocaleString('en-US')} of 3,000 ` +
        `entries; the ${result.imported.toLocaleString('en-US')} exchanges imported so far were kept.`,
    );
    expect(await s.cancelJob('imp-2')).toBe(false); // over
  });

  it('refuses a second job with the same id and a malformed id', async () => {
    const s = await service(await tempDir());
    const a = s.importHar({ text: generateHar(300), jobId: 'same' });
    await expect(s.importHar({ text: generateHar(1), jobId: 'same' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await a;
    await expect(s.importHar({ text: '{}', jobId: '../x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(s.importHar({ fileId: 'not-given-out' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('exports HAR to a transfer file; a cancelled export leaves no file', async () => {
    const s = await service(await tempDir());
    await s.importHar({ text: generateHar(600) });
    const done = await s.exportHar({ toFile: true, filter: 'path:/item/1' });
    expect(done.file?.name).toMatch(/^wirelens-.*\.har$/);
    const path = s.files.pathOf(done.file!.fileId, 'outgoing');
    const har = JSON.parse(await readFile(path, 'utf8'));
    expect(har.log.entries.length).toBe(done.count);
    expect(done.count).toBeGreaterThan(100); // /item/1, /item/10…, /item/100…

    const selected = await s.exportHar({ toFile: true, ids: [3, 1] });
    const picked = JSON.parse(
      await readFile(s.files.pathOf(selected.file!.fileId, 'outgoing'), 'utf8'),
    );
    expect(picked.log.entries.map((e: { request: { url: string } }) => e.request.url)).toEqual([
      'http://generated.test/item/2',
      'http://generated.test/item/0',
    ]);

    const before = readdirSync(s.files.dir).length;
    s.onEvent((e) => {
      if (e.type === 'job-progress' && e.jobId === 'exp' && e.done > 0) void s.cancelJob('exp');
    });
    await expect(s.exportHar({ toFile: true, jobId: 'exp' })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(readdirSync(s.files.dir).length).toBe(before);
  });
});

describe('service: save and open capture files', () => {
  it('saves the session, opens it in place of another one, archiving that one', async () => {
    const dataDir = await tempDir();
    const s = await service(dataDir);
    await s.importHar({ text: generateHar(40) });
    const saved = await s.saveCapture({ jobId: 'save' });
    expect(saved).toMatchObject({ count: 40 });
    expect(saved.name).toMatch(/\.wlcap$/);
    const copy = join(dataDir, 'kept.wlcap');
    await copyFile(s.files.pathOf(saved.fileId, 'outgoing'), copy);

    await s.clear();
    await s.importHar({ text: generateHar(3, { host: 'other.test' }) });
    const seen = events(s);
    const fileId = await upload(s, 'kept.wlcap', await readFile(copy));
    const opened = await s.openCapture({ fileId, jobId: 'open' });
    expect(opened.count).toBe(40);
    expect(opened.archivedTo).toBeTruthy();
    // The replaced session is archived, not deleted.
    expect(existsSync(join(opened.archivedTo!, 'records.ndjson'))).toBe(true);
    expect(ended(seen).at(-1)).toMatchObject({ outcome: 'done', kind: 'open-capture' });
    // Unpacking (bytes of the file), then the store's replay (bytes of records.ndjson).
    const phases = seen.flatMap((e) => (e.type === 'job-progress' ? [e.phase] : []));
    expect([...new Set(phases)]).toEqual(['Unpacking', 'Loading the list']);
    const list = await s.listExchanges({});
    expect(list.total).toBe(40);
    expect(list.items.every((i) => i.host === 'generated.test')).toBe(true);
    const body = await s.readBody({ id: list.items[5].id, side: 'response', view: 'decoded' });
    expect(new TextDecoder().decode(body.bytes)).toContain('"item":5');
    // The store in place records new traffic too (the proxy and sender write through it).
    await s.importHar({ text: generateHar(1, { host: 'after.test' }) });
    expect((await s.listExchanges({ filter: 'host:after.test' })).total).toBe(1);
  });

  it('a cancelled or bad open leaves the current session as it was', async () => {
    const dataDir = await tempDir();
    const s = await service(dataDir);
    await s.importHar({ text: generateHar(12, { bodyBytes: 512 * 1024 }) });
    const saved = await s.saveCapture();
    const bytes = await readFile(s.files.pathOf(saved.fileId, 'outgoing'));
    await s.clear();
    await s.importHar({ text: generateHar(2, { host: 'current.test' }) });

    s.onEvent((e) => {
      if (e.type === 'job-progress' && e.jobId === 'open-c' && e.phase === 'Unpacking')
        void s.cancelJob('open-c');
    });
    await expect(
      s.openCapture({ fileId: await upload(s, 'a.wlcap', bytes), jobId: 'open-c' }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await s.listExchanges({ filter: 'host:current.test' })).total).toBe(2);

    await expect(
      s.openCapture({ fileId: await upload(s, 'bad.wlcap', 'not a capture at all'.repeat(40)) }),
    ).rejects.toMatchObject({ code: 'CAPTURE_INVALID' });

    // One open at a time: a second one while the first runs is refused, not raced.
    const [b, c] = [await upload(s, 'b.wlcap', bytes), await upload(s, 'c.wlcap', bytes)];
    const first = s.openCapture({ fileId: b });
    await expect(s.openCapture({ fileId: c })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/Another capture/),
    });
    expect((await first).count).toBe(12);
    await s.clear();
    await s.importHar({ text: generateHar(2, { host: 'current.test' }) });
    expect((await s.listExchanges({})).total).toBe(2);
  });
});
