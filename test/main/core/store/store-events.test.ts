import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InspectorEvent } from '../../../../shared/api/inspector-api';
import { CAPTURE_DIR, ExchangeStore } from '../../../../main/core/store/exchange-store';
import { recordExchange } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();

/** Collects events; `next(type)` waits for the next event of that type. */
function collect(store: ExchangeStore) {
  const events: Array<InspectorEvent & { at: number }> = [];
  const waiters: Array<() => void> = [];
  store.subscribe((event) => {
    events.push({ ...event, at: performance.now() });
    for (const w of waiters.splice(0)) w();
  });
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (test() ? resolve() : void waiters.push(check));
      check();
    });
  return { events, until };
}

describe('ExchangeStore: live events, clear, size cap', () => {
  it('sends summaries in batches, each exchange once per batch, and complete only once written', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { eventIntervalMs: 50 });
    const { events, until } = collect(store);
    // What is on disk when a "complete" update is delivered.
    const endsOnDisk = new Set<number>();
    store.subscribe((event) => {
      if (event.type !== 'exchanges-updated') return;
      const text = readFileSync(path.join(dir, CAPTURE_DIR, 'records.ndjson'), 'utf8');
      for (const item of event.items) {
        // Its final record: `x` (written whole) or `end` (logged while in flight).
        if (item.state === 'complete' && new RegExp(`\\{"t":"(x|end)","id":${item.id},`).test(text))
          endsOnDisk.add(item.id);
      }
    });
    const recorded = Array.from({ length: 20 }, (_, i) =>
      recordExchange(store, { path: `/b/${i}`, finish: false }),
    );
    await until(() => events.some((e) => e.type === 'exchanges-added'));
    const added = events.filter((e) => e.type === 'exchanges-added');
    // All 20 were started in one turn: one batch, each once, with their latest summary.
    expect(added).toHaveLength(1);
    const items = added[0].type === 'exchanges-added' ? added[0].items : [];
    expect(items.map((i) => i.id)).toEqual(recorded.map((r) => r.writer.id));
    expect(items.every((i) => i.state === 'response-head')).toBe(true);
    for (const r of recorded) r.writer.finish();
    await until(() => events.some((e) => e.type === 'exchanges-updated'));
    const updates = events.flatMap((e) => (e.type === 'exchanges-updated' ? e.items : []));
    expect(updates.map((u) => [u.id, u.state])).toEqual(
      recorded.map((r) => [r.writer.id, 'complete']),
    );
    expect([...endsOnDisk].sort((a, b) => a - b)).toEqual(recorded.map((r) => r.writer.id));
    // No body bytes travel in events.
    expect(JSON.stringify(events)).not.toContain('hello');
    // Batches are spaced by the interval (event timestamps, not a wall-clock limit on work).
    for (let i = 1; i < events.length; i++)
      expect(events[i].at - events[i - 1].at).toBeGreaterThanOrEqual(45);
    await store.close();
  });

  it('clear() archives the log, empties the store, tells subscribers, and keeps ids growing', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { keepArchives: 2 });
    const { events } = collect(store);
    const first = recordExchange(store);
    store.flush();
    await store.clear();
    expect(events.at(-1)).toMatchObject({ type: 'exchanges-cleared' });
    expect(store.list()).toEqual({ items: [], total: 0 });
    expect(store.get(first.writer.id)).toBeNull();
    const archiveRoot = path.join(dir, CAPTURE_DIR, 'archive');
    const [archived] = readdirSync(archiveRoot);
    expect(readFileSync(path.join(archiveRoot, archived, 'records.ndjson'), 'utf8')).toContain(
      'GET /a HTTP/1.1',
    );
    expect(existsSync(path.join(archiveRoot, archived, 'bodies.bin'))).toBe(true);
    // A writer from before the clear writes nowhere.
    first.writer.addWarning('late');
    const second = recordExchange(store);
    expect(second.writer.id).toBeGreaterThan(first.writer.id);
    store.flush();
    for (let i = 0; i < 3; i++) await store.clear();
    expect(readdirSync(archiveRoot)).toHaveLength(2); // keepArchives
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.list().total).toBe(0);
    expect(recordExchange(again).writer.id).toBeGreaterThan(second.writer.id);
    await again.close();
  });

  it('a clear that cannot archive changes nothing and says why', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const first = recordExchange(store);
    store.flush();
    // A file where the archive folder should be: the move cannot happen.
    writeFileSync(path.join(dir, CAPTURE_DIR, 'archive'), 'in the way');
    await expect(store.clear()).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect(store.list().items.map((r) => r.id)).toEqual([first.writer.id]);
    const second = recordExchange(store);
    store.flush();
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.list().items.map((r) => r.id)).toEqual([first.writer.id, second.writer.id]);
    await again.close();
  });

  it('evicts the oldest beyond maxExchanges with a visible notice, also after reopen', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { maxExchanges: 3 });
    const { events, until } = collect(store);
    const ids = Array.from({ length: 5 }, () => recordExchange(store).writer.id);
    await until(() => events.some((e) => e.type === 'exchanges-evicted'));
    const evicted = events.find((e) => e.type === 'exchanges-evicted');
    expect(evicted).toMatchObject({ upToId: ids[1] });
    expect(evicted?.type === 'exchanges-evicted' && evicted.notice).toMatch(/2 oldest exchanges/);
    expect(store.list().items.map((r) => r.id)).toEqual(ids.slice(2));
    expect(store.get(ids[0])).toBeNull();
    store.flush();
    await store.close();
    const again = await ExchangeStore.open(dir, { maxExchanges: 3 });
    expect(again.list().items.map((r) => r.id)).toEqual(ids.slice(2));
    await again.close();
  });

  it('filters the list with the filter language, header terms included', async () => {
    const store = await ExchangeStore.open(newDir(), { bodyInMemoryLimit: 200 });
    recordExchange(store, { path: '/api/users', contentType: 'application/json' });
    recordExchange(store, { path: '/img/logo.png', contentType: 'image/png', status: 404 });
    recordExchange(store, {
      path: '/big',
      body: new Uint8Array(1000),
      status: 500,
      host: 'cdn.example.com:80',
    });
    store.flush();
    const paths = (filter: string): string[] => store.list({ filter }).items.map((r) => r.path);
    expect(paths('type:json')).toEqual(['/api/users']);
    expect(paths('status:>=400')).toEqual(['/img/logo.png', '/big']);
    expect(paths('-status:4xx')).toEqual(['/api/users', '/big']);
    expect(paths('host:example.com')).toEqual(['/big']);
    expect(paths('header:content-type=image/png')).toEqual(['/img/logo.png']);
    // Free text reaches headers both for in-memory and on-disk exchanges.
    expect(paths('user-agent')).toHaveLength(3);
    expect(store.list({ filter: 'status:>=400', offset: 1, limit: 1 })).toMatchObject({
      total: 2,
      items: [{ path: '/big' }],
    });
    expect(() => store.list({ filter: 'status:abc' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    await store.close();
  });
});

describe('ExchangeStore: tunnels', () => {
  it('records a tunnel with its byte counts, one log record per flush for the counters', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const writer = store.startExchange({
      connectionId: store.openConnection({ source: 'proxy', openedAt: Date.now() }),
      indexOnConnection: 0,
      source: 'proxy',
      scheme: 'tunnel',
      host: 'example.com',
      port: 443,
      timings: { start: Date.now() },
    });
    const connect = new TextEncoder().encode(
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    writer.appendRequest(connect);
    writer.setState('tunnel');
    // A tunnel lasts: it is logged while in flight (an explicit flush does that at once).
    store.flush();
    for (let i = 1; i <= 100; i++) writer.setTunnelBytes(i * 10, i * 20);
    writer.finish();
    store.flush();
    const detail = store.get(writer.id)!;
    expect(detail.summary).toMatchObject({ state: 'tunnel', url: 'example.com:443', method: '' });
    expect(detail.tunnel).toEqual({ bytesUp: 1000, bytesDown: 2000 });
    const log = readFileSync(path.join(dir, CAPTURE_DIR, 'records.ndjson'), 'utf8');
    expect(log.match(/"t":"tunnel"/g)).toHaveLength(1);
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.get(writer.id)!.tunnel).toEqual({ bytesUp: 1000, bytesDown: 2000 });
    await again.close();
  });
});
