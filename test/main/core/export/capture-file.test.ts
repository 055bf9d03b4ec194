/** Capture files: save the live store's log as one archive, open it elsewhere, lose nothing. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCapture, saveCapture } from '../../../../main/core/export/capture-file';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { messageRecordOf } from '../../../../shared/har/message-record';

const stores: ExchangeStore[] = [];
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
afterAll(async () => {
  for (const s of stores) await s.close();
});

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

async function storeWith(count: number): Promise<ExchangeStore> {
  const store = await ExchangeStore.open(tmp('wirelens-cap-src-'));
  stores.push(store);
  for (let i = 0; i < count; i++) {
    const body = new Uint8Array(i === 0 ? 200_000 : 10).map((_, k) => (k * 13 + i) & 0xff);
    const req = bytes(
      `POST /item/${i} HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const reqRaw = new Uint8Array([...req, ...body]);
    const res = bytes(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok`);
    store.importExchange({
      request: { raw: reqRaw, message: messageRecordOf(reqRaw, 'request') },
      response: { raw: res, message: messageRecordOf(res, 'response', 'POST') },
      host: 'a.test',
      port: 80,
      timings: { start: 1_700_000_000_000 + i },
    });
  }
  store.flush();
  return store;
}

describe('capture files', () => {
  it('save → open gives the same list and the same bytes (bodies read lazily from disk)', async () => {
    const source = await storeWith(25);
    const file = join(tmp('wirelens-cap-file-'), 'session.wlcap');
    const progress: Array<{ done: number; total: number }> = [];
    const saved = await saveCapture(source, file, { onProgress: (p) => progress.push(p) });
    expect(saved.path).toBe(file);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);

    const opened = await openCapture(file, tmp('wirelens-cap-dst-'));
    stores.push(opened);
    const a = source.list({});
    const b = opened.list({});
    expect(b.total).toBe(25);
    expect(b.items.map((s) => [s.method, s.url, s.status, s.requestBytes])).toEqual(
      a.items.map((s) => [s.method, s.url, s.status, s.requestBytes]),
    );
    const big = await opened.readRaw(b.items[0].id, 'request');
    expect(
      Buffer.from(big).equals(Buffer.from(await source.readRaw(a.items[0].id, 'request'))),
    ).toBe(true);
  });

  it('is a plain ustar archive that tar can list', async () => {
    const source = await storeWith(2);
    const file = join(tmp('wirelens-cap-file-'), 'two.wlcap');
    await saveCapture(source, file);
    const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['wirelens-capture.json', 'records.ndjson', 'bodies.bin']);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOf', file, 'wirelens-capture.json'], { encoding: 'utf8' }),
    );
    expect(manifest).toMatchObject({ format: 'wirelens-capture-file', version: 1, exchanges: 2 });
    const opened = await openCapture(file); // into a new temporary data folder
    stores.push(opened);
    expect(opened.list({}).total).toBe(2);
  });

  it('refuses files that are not captures and folders that already hold one', async () => {
    const junk = join(tmp('wirelens-cap-junk-'), 'junk.wlcap');
    writeFileSync(junk, 'hello, not a tar file'.repeat(100));
    await expect(openCapture(junk, tmp('wirelens-cap-dst-'))).rejects.toMatchObject({
      code: 'CAPTURE_INVALID',
    });
    const source = await storeWith(1);
    const file = join(tmp('wirelens-cap-file-'), 'one.wlcap');
    await saveCapture(source, file);
    const dir = tmp('wirelens-cap-dst-');
    stores.push(await openCapture(file, dir));
    await expect(openCapture(file, dir)).rejects.toMatchObject({ code: 'CAPTURE_EXISTS' });
  });

  it('cancel leaves no file behind', async () => {
    const source = await storeWith(3);
    const file = join(tmp('wirelens-cap-file-'), 'cancel.wlcap');
    const controller = new AbortController();
    controller.abort();
    await expect(saveCapture(source, file, { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
    expect(readFileSync(join(source.captureDir, 'records.ndjson')).length).toBeGreaterThan(0);
  });
});
