/**
 * Logs written before the one-record-per-exchange format (every exchange as `start`,
 * in-flight records and `end`; test/fixtures/capture-v1, recorded by that code with one
 * exchange left in flight) still open, and read back exactly as that code read them.
 * Also: `x` records arriving out of id order, and replay progress.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_DIR, ExchangeStore } from '../../../../main/core/store/exchange-store';
import { recordExchange } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();
const FIXTURE = 'test/fixtures/capture-v1';

interface Expected {
  detail: { summary: { id: number } } & Record<string, unknown>;
  requestBytes: number;
  responseBytes: number;
}

describe('ExchangeStore: older logs', () => {
  it('opens a log of start/in-flight/end records as the code that wrote it read it', async () => {
    const dir = newDir();
    cpSync(FIXTURE, path.join(dir, CAPTURE_DIR), { recursive: true });
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8'),
    ) as Expected[];
    const store = await ExchangeStore.open(dir);
    expect(store.recoveryWarnings).toEqual([]);
    expect(store.list().items.map((s) => s.id)).toEqual(expected.map((e) => e.detail.summary.id));
    for (const e of expected) {
      const id = e.detail.summary.id;
      const detail = store.get(id)!;
      if (e.detail.summary.id === 4) {
        // The one left in flight: failed INTERRUPTED at this open (its end time is now).
        expect(detail.summary).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
        expect(detail.request).toEqual(e.detail.request);
        expect(detail.response).toEqual(e.detail.response);
      } else {
        expect(detail).toEqual(e.detail);
      }
      expect((await store.readRaw(id, 'request')).length).toBe(e.requestBytes);
      expect((await store.readRaw(id, 'response')).length).toBe(e.responseBytes);
    }
    // New exchanges continue the ids, in the new format, and both kinds reopen.
    const later = recordExchange(store, { path: '/later' });
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.list().items.map((s) => s.path)).toEqual([
      '/first',
      '/big',
      '/post',
      '/in-flight',
      '', // failed before its request was parsed
      '/later',
    ]);
    expect(again.get(later.writer.id)!.summary.state).toBe('complete');
    await again.close();
  });
});

describe('ExchangeStore: replay of one-record exchanges', () => {
  it('sorts exchanges that finished out of order back by id, with progress reported', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const running = Array.from({ length: 30 }, (_, i) =>
      recordExchange(store, { path: `/o/${i}`, finish: false }),
    );
    // Finish in reverse order: their records are written last id first.
    for (const r of [...running].reverse()) r.writer.finish();
    await store.close();
    const progress: Array<[number, number]> = [];
    const again = await ExchangeStore.open(dir, {
      onProgress: (done, total) => progress.push([done, total]),
    });
    const rows = again.list().items;
    expect(rows.map((r) => r.path)).toEqual(running.map((_, i) => `/o/${i}`));
    expect(rows.every((r) => r.state === 'complete')).toBe(true);
    expect(again.get(running[7].writer.id)!.request!.startLine).toBe('GET /o/7 HTTP/1.1');
    expect(progress.length).toBeGreaterThan(0);
    const [done, total] = progress[progress.length - 1];
    expect(done).toBe(total);
    await again.close();
  });
});
