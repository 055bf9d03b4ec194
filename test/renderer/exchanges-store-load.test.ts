/**
 * The exchanges store under load: pipelined snapshot pages, backlogs applied in slices,
 * fewer renders during a heavy stream.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListQuery } from '../../shared/api/inspector-api';
import { setInspectorClient } from '../../renderer/src/stores/client';
import {
  BUSY_BATCH,
  BUSY_FLUSH_MS,
  FIRST_PAGE,
  FLUSH_MS,
  FLUSH_SLICE_MS,
  PAGES_IN_FLIGHT,
  SNAPSHOT_PAGE,
  useExchangesStore,
} from '../../renderer/src/stores/exchanges-store';
import { fakeClient, settle, summary, type FakeClient } from './fake-client';

let client: FakeClient;

beforeEach(() => {
  setActivePinia(createPinia());
  client = fakeClient();
  setInspectorClient(client);
});
afterEach(() => vi.restoreAllMocks());

describe('exchanges store: loading under load', () => {
  it('keeps PAGES_IN_FLIGHT snapshot pages requested at once, and places each where it belongs', async () => {
    const total = FIRST_PAGE + 3 * SNAPSHOT_PAGE + 5;
    client.stored = Array.from({ length: total }, (_, i) => summary(i + 1));
    const answer = client.listExchanges.bind(client);
    let inFlight = 0;
    let most = 0;
    // Answers come back in the opposite order of the asks (the later page first).
    client.listExchanges = async (q: ListQuery) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const result = await answer(q);
      await new Promise((r) => setTimeout(r, q.offset === FIRST_PAGE ? 20 : 1));
      inFlight--;
      return result;
    };
    const store = useExchangesStore();
    await store.start();
    expect(most).toBe(PAGES_IN_FLIGHT);
    expect(store.count).toBe(total);
    expect(store.rows.every((r, i) => r?.id === i + 1)).toBe(true);
    expect(store.loading).toBe(false);
  });

  it('stops at a short page (exchanges evicted while loading) without leaving holes', async () => {
    const total = FIRST_PAGE + 2 * SNAPSHOT_PAGE;
    client.stored = Array.from({ length: total }, (_, i) => summary(i + 1));
    const answer = client.listExchanges.bind(client);
    client.listExchanges = async (q: ListQuery) => {
      // After the first page the 100 newest are gone (as if evicted from the end).
      if (q.offset) client.stored.length = total - 100;
      return answer(q);
    };
    const store = useExchangesStore();
    await store.start();
    expect(store.count).toBe(total - 100);
    expect(store.rows.every((r) => r !== undefined)).toBe(true);
  });

  it('applies a backlog of deltas in slices, rendering in between, and loses none', async () => {
    const store = useExchangesStore();
    await store.start();
    for (let i = 0; i < 4; i++)
      client.emit({ type: 'exchanges-added', items: [summary(2 * i + 1), summary(2 * i + 2)] });
    // Every clock reading is a slice later: one event per slice.
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += FLUSH_SLICE_MS + 1));
    const revision = store.revision;
    store.flushNow();
    expect(store.count).toBe(2);
    expect(store.revision).toBe(revision + 1);
    for (let i = 0; i < 10 && store.count < 8; i++) await settle();
    expect(store.rows.map((r) => r?.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.revision).toBe(revision + 4);
  });
});

describe('exchanges store: heavy streams', () => {
  it('applies batches less often while each brings more than a screenful', async () => {
    const store = useExchangesStore();
    await store.start();
    vi.useFakeTimers();
    try {
      const batch = (from: number, n: number) =>
        client.emit({
          type: 'exchanges-added',
          items: Array.from({ length: n }, (_, i) => summary(from + i)),
        });
      batch(1, BUSY_BATCH + 1);
      vi.advanceTimersByTime(FLUSH_MS);
      expect(store.count).toBe(BUSY_BATCH + 1);
      // The last batch was big: the next one waits BUSY_FLUSH_MS.
      batch(1000, 5);
      vi.advanceTimersByTime(FLUSH_MS);
      expect(store.count).toBe(BUSY_BATCH + 1);
      vi.advanceTimersByTime(BUSY_FLUSH_MS - FLUSH_MS);
      expect(store.count).toBe(BUSY_BATCH + 6);
      // A small batch brings the normal pace back.
      batch(2000, 1);
      vi.advanceTimersByTime(FLUSH_MS);
      expect(store.count).toBe(BUSY_BATCH + 7);
    } finally {
      vi.useRealTimers();
    }
  });
});
