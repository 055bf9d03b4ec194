import { spawn } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  appendFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExchangeStore, CAPTURE_DIR } from '../../../../main/core/store/exchange-store';
import { dec, messageOf, recordExchange } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();
const recordsOf = (dir: string): string => path.join(dir, CAPTURE_DIR, 'records.ndjson');

describe('ExchangeStore: crash recovery', () => {
  it('skips a torn last record with a warning and keeps every earlier exchange', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const kept = [recordExchange(store), recordExchange(store, { path: '/second' })];
    store.flush();
    const sizeBefore = statSync(recordsOf(dir)).size;
    // Logged while in flight (the explicit flush), so its `end` is the last record.
    const torn = recordExchange(store, { path: '/torn', finish: false });
    store.flush();
    torn.writer.finish();
    store.flush();
    await store.close();
    // Cut the log in the middle of the last exchange's records (inside a line).
    const lines = readFileSync(recordsOf(dir), 'utf8').split('\n');
    const full = statSync(recordsOf(dir)).size;
    const cutAt = full - Math.floor(lines[lines.length - 2].length / 2) - 1;
    expect(cutAt).toBeGreaterThan(sizeBefore);
    truncateSync(recordsOf(dir), cutAt);

    const again = await ExchangeStore.open(dir);
    expect(again.recoveryWarnings).toHaveLength(1);
    expect(again.recoveryWarnings[0]).toMatch(/torn record/);
    const rows = again.list().items;
    expect(rows.slice(0, 2).map((r) => [r.id, r.state, r.path])).toEqual([
      [kept[0].writer.id, 'complete', '/a'],
      [kept[1].writer.id, 'complete', '/second'],
    ]);
    // The exchange whose end was torn off comes back as interrupted, not lost.
    expect(rows[2]).toMatchObject({
      id: torn.writer.id,
      state: 'failed',
      error: { code: 'INTERRUPTED' },
    });
    expect(dec(await again.readRaw(kept[1].writer.id, 'response'))).toBe(dec(kept[1].response));
    // The torn bytes were kept aside, and new records start on a clean line.
    const archive = readdirSync(path.join(dir, CAPTURE_DIR, 'archive'));
    expect(archive.some((name) => name.startsWith('torn-'))).toBe(true);
    const later = recordExchange(again, { path: '/after' });
    again.flush();
    await again.close();
    const third = await ExchangeStore.open(dir);
    expect(third.recoveryWarnings).toEqual([]);
    expect(third.get(later.writer.id)!.summary).toMatchObject({
      state: 'complete',
      path: '/after',
    });
    await third.close();
  });

  it('skips a garbled line in the middle with a warning', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    recordExchange(store);
    store.flush();
    await store.close();
    appendFileSync(recordsOf(dir), '{"t":"start", garbage\n');
    const again = await ExchangeStore.open(dir);
    recordExchange(again);
    again.flush();
    await again.close();
    const third = await ExchangeStore.open(dir);
    expect(third.recoveryWarnings).toEqual([expect.stringMatching(/not a valid record/)]);
    expect(third.list().items.map((r) => r.state)).toEqual(['complete', 'complete']);
    await third.close();
  });

  it('loses no exchange reported complete when the writing process is SIGKILLed', async () => {
    const dir = newDir();
    const child = spawn(
      process.execPath,
      ['main/headless/bin/run-ts.mjs', 'test/main/core/store/kill-writer-child.ts', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const done = new Set<number>();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      child.stdout.on('data', (data: Buffer) => {
        buffered += data.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.startsWith('done ')) done.add(Number(line.slice(5)));
        // Enough traffic that the kill lands mid-stream.
        if (done.size >= 300) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Lines the child wrote before dying but we had not split yet.
    for (const line of buffered.split('\n'))
      if (/^done \d+$/.test(line)) done.add(Number(line.slice(5)));

    expect(existsSync(recordsOf(dir))).toBe(true);
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 4096 });
    const rows = new Map(store.list().items.map((r) => [r.id, r]));
    for (const id of done) {
      const row = rows.get(id);
      expect(row, `exchange #${id}`).toBeDefined();
      expect(row!.state).toBe('complete');
      const response = await store.readRaw(id, 'response');
      expect(response.length).toBe(row!.responseBytes);
      expect(dec(response.subarray(0, 15))).toBe('HTTP/1.1 200 OK');
      const n = Number(row!.path.split('/').pop());
      expect(n).toBeGreaterThan(0);
      expect(response[response.length - 1]).toBe(48 + (n % 10));
    }
    // Whatever was in flight is there as failed, never silently gone or half-complete.
    for (const row of rows.values()) {
      if (row.state !== 'complete')
        expect(row).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
    }
    expect([...rows.values()].find((r) => r.path === '/never-finished')).toMatchObject({
      state: 'failed',
      error: { code: 'INTERRUPTED' },
    });
    await store.close();
  }, 60_000);
});

describe('ExchangeStore: when records reach the disk', () => {
  it('writes a quick exchange whole, as one record, once its body bytes are written', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { finishedWriteDelayMs: 0 });
    const log = (): string => readFileSync(recordsOf(dir), 'utf8');
    const { writer } = recordExchange(store);
    expect(log()).not.toContain(`"id":${writer.id},`); // batched, not written per call
    // The next turn cuts the batch; it is written when the pool has written the bytes.
    for (let i = 0; i < 200 && !log().includes(`"id":${writer.id},`); i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const lines = log()
      .split('\n')
      .filter((line) => line.includes(`"id":${writer.id},`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\{"t":"x","id":${writer.id},`));
    // Its messages are compact (spans; the strings are in the bytes) and read back whole.
    const { m } = JSON.parse(lines[0]);
    expect(m.r.spans).toBeDefined();
    expect(m.r.startLine).toBeUndefined();
    const detail = store.get(writer.id)!;
    expect(detail.response!.startLine).toBe('HTTP/1.1 200 OK');
    expect(detail.response!.headers.length).toBeGreaterThan(0);
    await store.close();
    const reopened = await ExchangeStore.open(dir);
    expect(reopened.get(writer.id)).toEqual(detail);
    await reopened.close();
  });

  it('writes finished exchanges at most once per finishedWriteDelayMs when busy', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, {
      finishedWriteDelayMs: 200,
      flushIntervalMs: 5000,
    });
    const log = (): string => readFileSync(recordsOf(dir), 'utf8');
    const completeAt = new Map<number, number>();
    store.subscribe((event) => {
      if (event.type === 'exchanges-updated' || event.type === 'exchanges-added')
        for (const item of event.items)
          if (item.state === 'complete' && !completeAt.has(item.id))
            completeAt.set(item.id, performance.now());
    });
    // Opening just wrote the log: the first finish waits for the delay, not for the turn.
    const t0 = performance.now();
    const first = recordExchange(store, { path: '/1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log()).not.toContain(`"id":${first.writer.id},`);
    const second = recordExchange(store, { path: '/2' });
    const deadline = Date.now() + 10_000;
    while (!log().includes(`"id":${second.writer.id},`) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // Both in one write, and reported complete only once written.
    expect(log()).toContain(`{"t":"x","id":${first.writer.id},`);
    store.flush();
    expect(completeAt.get(first.writer.id)! - t0).toBeGreaterThanOrEqual(150);
    expect(store.get(second.writer.id)!.summary.state).toBe('complete');
    await store.close();
  });

  it('starts logging an exchange that stays in flight, on a timer, with what it has so far', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, {
      flushIntervalMs: 20,
      inFlightRecordAfterMs: 30,
      finishedWriteDelayMs: 0,
    });
    const log = (): string => readFileSync(recordsOf(dir), 'utf8');
    const { writer } = recordExchange(store, { finish: false });
    expect(log()).not.toContain(`"id":${writer.id},`);
    // The timers write it, with no finish and no explicit flush.
    const deadline = Date.now() + 10_000;
    while (!log().includes(`"t":"start","id":${writer.id}`) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const start = log()
      .split('\n')
      .find((line) => line.startsWith(`{"t":"start","id":${writer.id},`))!;
    expect(Object.keys(JSON.parse(start).timings)).toContain('responseEnd');
    expect(log()).toContain(`{"t":"msg","id":${writer.id},"s":"r",`);
    writer.addWarning('late');
    writer.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log()).toContain(`{"t":"warn","id":${writer.id},"text":"late"}`);
    expect(log()).toContain(`{"t":"end","id":${writer.id},`);
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.get(writer.id)).toMatchObject({
      summary: { state: 'complete', status: 200 },
      warnings: ['late'],
    });
    await again.close();
  });

  it('logs an exchange while in flight once its bytes outgrow the in-memory limit', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1000 });
    const { writer } = recordExchange(store, { body: new Uint8Array(5000), finish: false });
    await new Promise((resolve) => setTimeout(resolve, 40)); // the 25 ms flush timer
    expect(readFileSync(recordsOf(dir), 'utf8')).toContain(`{"t":"start","id":${writer.id},`);
    writer.finish();
    await store.close();
  });

  it('writes one message record when a head is replaced by the full message before a write', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const { writer, request } = recordExchange(store, { finish: false });
    store.flush(); // logged while in flight from here on
    writer.setRequest(messageOf(request));
    writer.setRequest({ ...messageOf(request), trailers: [['X-Late', '1']] });
    writer.finish();
    store.flush();
    const requestRecords = readFileSync(recordsOf(dir), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(`{"t":"msg","id":${writer.id},"s":"q"`));
    // One written by the flush, one for the two calls after it.
    expect(requestRecords).toHaveLength(2);
    expect(requestRecords[1]).toContain('X-Late');
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.get(writer.id)!.request!.trailers).toEqual([['X-Late', '1']]);
    await again.close();
  });
});

describe('ExchangeStore: a failing disk', () => {
  // /dev/full fails every write with ENOSPC: a real "disk full" without filling a disk.
  it.skipIf(!existsSync('/dev/full'))(
    'reports a write failure as a notice, never throws at the producer, never claims complete',
    async () => {
      const dir = newDir();
      await (await ExchangeStore.open(dir)).close();
      const bodies = path.join(dir, CAPTURE_DIR, 'bodies.bin');
      rmSync(bodies);
      symlinkSync('/dev/full', bodies);
      const store = await ExchangeStore.open(dir);
      const notices: string[] = [];
      store.subscribe((event) => {
        if (event.type === 'notice') notices.push(`${event.error?.code}: ${event.message}`);
      });
      const { writer } = recordExchange(store);
      expect(() => store.flush()).not.toThrow();
      expect(notices.join('\n')).toMatch(/STORE_WRITE_FAILED: .*capture log/);
      expect(store.get(writer.id)!.summary.state).not.toBe('complete');
      // The same when the failing write is the thread pool's, with no flush asked for.
      notices.length = 0;
      const second = recordExchange(store).writer;
      for (let i = 0; i < 200 && notices.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(notices.join('\n')).toMatch(/STORE_WRITE_FAILED: .*capture log/);
      expect(store.get(second.id)!.summary.state).not.toBe('complete');
      await store.close();
    },
  );
});
