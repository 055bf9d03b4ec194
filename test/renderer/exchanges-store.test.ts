import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setInspectorClient } from '../../renderer/src/stores/client';
import {
  FIRST_PAGE,
  SNAPSHOT_PAGE,
  useExchangesStore,
} from '../../renderer/src/stores/exchanges-store';
import { deferred, fakeClient, settle, summary, type FakeClient } from './fake-client';

let client: FakeClient;
const ids = (store: ReturnType<typeof useExchangesStore>) => store.rows.map((r) => r?.id);

beforeEach(() => {
  setActivePinia(createPinia());
  client = fakeClient();
  setInspectorClient(client);
});

describe('exchanges store: snapshot then deltas', () => {
  it('queues events that arrive during the snapshot and replays them after it, without doubles', async () => {
    client.stored = [summary(1), summary(2, { state: 'pending', status: null }), summary(3)];
    const hold = deferred<void>();
    client.hold = hold;
    const store = useExchangesStore();
    const started = store.start();
    await settle();
    expect(store.ready).toBe(false);

    // While the snapshot is in flight: #3 again (already in it), a new #4, and #2 completing.
    client.emit({ type: 'exchanges-added', items: [summary(3), summary(4)] });
    client.emit({ type: 'exchanges-updated', items: [summary(2, { status: 201 })] });
    expect(ids(store)).toEqual([]);

    hold.resolve();
    await started;
    expect(store.ready).toBe(true);
    expect(ids(store)).toEqual([1, 2, 3, 4]);
    expect(store.findById(2)?.status).toBe(201);
    expect(store.count).toBe(4);
  });

  it('loads a large snapshot in pages and marks ready after the first page', async () => {
    const total = FIRST_PAGE + SNAPSHOT_PAGE + 17;
    client.stored = Array.from({ length: total }, (_, i) => summary(i + 1));
    const store = useExchangesStore();
    await store.start();
    const calls = client.calls.filter((c) => c.method === 'listExchanges');
    expect(calls.map((c) => c.args[0])).toEqual([
      { filter: undefined, offset: 0, limit: FIRST_PAGE },
      { filter: undefined, offset: FIRST_PAGE, limit: SNAPSHOT_PAGE },
      { filter: undefined, offset: FIRST_PAGE + SNAPSHOT_PAGE, limit: SNAPSHOT_PAGE },
    ]);
    expect(store.count).toBe(total);
    expect(store.rows.every((r, i) => r?.id === i + 1)).toBe(true);
  });

  it('applies live deltas in one batch per flush', async () => {
    const store = useExchangesStore();
    await store.start();
    const before = store.revision;
    client.emit({ type: 'exchanges-added', items: [summary(1)] });
    client.emit({ type: 'exchanges-added', items: [summary(2), summary(3)] });
    client.emit({ type: 'exchanges-updated', items: [summary(1, { status: 404 })] });
    expect(store.count).toBe(0); // not yet: batched
    store.flushNow();
    expect(ids(store)).toEqual([1, 2, 3]);
    expect(store.findById(1)?.status).toBe(404);
    expect(store.revision).toBe(before + 1);
  });

  it('flushes on its own shortly after events arrive', async () => {
    const store = useExchangesStore();
    await store.start();
    client.emit({ type: 'exchanges-added', items: [summary(1)] });
    await new Promise((r) => setTimeout(r, 300));
    expect(ids(store)).toEqual([1]);
  });

  it('handles eviction and clearing', async () => {
    client.stored = [1, 2, 3, 4, 5].map((id) => summary(id));
    const store = useExchangesStore();
    await store.start();
    client.emit({ type: 'exchanges-evicted', upToId: 2, notice: 'Oldest exchanges were evicted.' });
    store.flushNow();
    expect(ids(store)).toEqual([3, 4, 5]);
    expect(store.notice).toBe('Oldest exchanges were evicted.');
    client.emit({ type: 'exchanges-cleared' });
    client.emit({ type: 'exchanges-added', items: [summary(6)] });
    store.flushNow();
    expect(ids(store)).toEqual([6]);
  });

  it('takes a fresh snapshot when the transport reconnects', async () => {
    const store = useExchangesStore();
    await store.start();
    client.stored = [summary(1), summary(2)];
    client.emit({ type: 'notice', level: 'info', message: 'Reconnected to Wirelens.' });
    await settle();
    await settle();
    expect(ids(store)).toEqual([1, 2]);
  });

  it('shows a load failure in words and still becomes ready', async () => {
    client.listExchanges = () => Promise.reject({ code: 'INTERNAL', message: 'store is closed' });
    const store = useExchangesStore();
    await store.start();
    expect(store.ready).toBe(true);
    expect(store.lastError).toContain('store is closed (INTERNAL)');
  });
});

describe('exchanges store: filter', () => {
  beforeEach(() => {
    client.listFilter = (s, filter) => (filter === 'method:POST' ? s.method === 'POST' : true);
    client.stored = [summary(1), summary(2, { method: 'POST' }), summary(3)];
  });

  it('asks the server for the filtered snapshot and filters live deltas the same way', async () => {
    const store = useExchangesStore();
    await store.start();
    expect(store.count).toBe(3);
    await store.setFilter('method:POST');
    expect(client.calls.at(-1)?.args[0]).toMatchObject({ filter: 'method:POST', offset: 0 });
    expect(ids(store)).toEqual([2]);

    client.emit({ type: 'exchanges-added', items: [summary(4), summary(5, { method: 'POST' })] });
    store.flushNow();
    expect(ids(store)).toEqual([2, 5]);

    // An update that makes a listed exchange stop matching removes it, and vice versa.
    client.emit({
      type: 'exchanges-updated',
      items: [summary(2, { method: 'GET' }), summary(4, { method: 'POST' })],
    });
    store.flushNow();
    expect(ids(store)).toEqual([4, 5]);
  });

  it('understands status classes and exclusions for live rows', async () => {
    const store = useExchangesStore();
    await store.start();
    await store.setFilter('status:4xx -host:skip.test');
    client.emit({
      type: 'exchanges-added',
      items: [
        summary(10, { status: 404 }),
        summary(11, { status: 200 }),
        summary(12, { status: 410, host: 'skip.test' }),
      ],
    });
    store.flushNow();
    expect(ids(store)).toContain(10);
    expect(ids(store)).not.toContain(11);
    expect(ids(store)).not.toContain(12);
  });

  it('a filter change during a snapshot wins over the older snapshot', async () => {
    const store = useExchangesStore();
    const hold = deferred<void>();
    client.hold = hold;
    const first = store.start();
    await settle();
    const second = store.setFilter('method:POST');
    hold.resolve();
    await Promise.all([first, second]);
    expect(ids(store)).toEqual([2]);
  });

  it('clears through the API', async () => {
    const store = useExchangesStore();
    await store.start();
    await store.clearAll();
    expect(client.calls.some((c) => c.method === 'clear')).toBe(true);
    expect(store.count).toBe(0);
  });
});
