/**
 * The exchange list: a snapshot (paged `listExchanges`) then live deltas (events).
 * Events that arrive while the snapshot loads are queued and replayed after it, so no
 * exchange is lost or doubled (mitmweb's pattern). Rows live in one plain array inside a
 * shallowRef — 100,000 summaries must not become deep reactive proxies; `triggerRef`
 * announces each batch of changes.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef } from 'vue';
import type { InspectorEvent, ListResult } from '../../../shared/api/inspector-api';
import type { ExchangeSummary } from '../../../shared/model/exchange';
import { RECONNECTED_NOTICE } from '../api/ws-client';
import { compileFilter, type CompiledFilter } from '../lib/filter-match';
import { indexIn, lowerBound } from '../lib/row-index';
import { errorText, inspectorClient } from './client';

/**
 * Deltas are applied at most this often: at thousands of exchanges per second one
 * re-render per 100 ms keeps the window responsive, and nobody reads rows faster.
 */
export const FLUSH_MS = 100;
/**
 * Under a heavy stream (the last batch brought more than BUSY_BATCH exchanges, i.e. more
 * than a screenful) batches are applied every BUSY_FLUSH_MS instead: each render replaces
 * every visible row anyway, so fewer renders cut the page's layout and paint work (and the
 * CPU it takes from the capture on a shared machine) while the list still moves 4× a second.
 */
export const BUSY_BATCH = 100;
export const BUSY_FLUSH_MS = 250;

/**
 * Rows fetched per `listExchanges` call while loading the snapshot: a small first page
 * so the list shows (and is scrollable over the full count) at once, then big pages to
 * load the rest in few round trips.
 */
export const FIRST_PAGE = 1000;
export const SNAPSHOT_PAGE = 10000;
/** Snapshot pages requested ahead: the server lists the next page while one is parsed here. */
export const PAGES_IN_FLIGHT = 2;
/**
 * A flush applies deltas for at most this long, then lets the page render and continues
 * in the next task: a backlog (after a stall, or the replay after a snapshot) never
 * becomes one long task.
 */
export const FLUSH_SLICE_MS = 8;

type ExchangeEvent = Extract<InspectorEvent, { type: `exchanges-${string}` }>;

export const useExchangesStore = defineStore('exchanges', () => {
  /** Matching exchanges, ascending id. Holes (undefined) only while the snapshot pages load. */
  const rows = shallowRef<Array<ExchangeSummary | undefined>>(markRaw([]));
  const ready = ref(false);
  const loading = ref(false);
  const filterText = ref('');
  const filterErrors = ref<string[]>([]);
  const lastError = ref<string | null>(null);
  const notice = ref<string | null>(null);
  /** Bumped on every applied batch; cheap to watch, unlike the rows themselves. */
  const revision = ref(0);
  /**
   * Bumped when rows may have left the list other than by a single update (new snapshot,
   * clear, eviction): the selection then drops ids that are gone.
   */
  const epoch = ref(0);

  let compiled: CompiledFilter = compileFilter('');
  let generation = 0;
  let syncing = false;
  let queued: ExchangeEvent[] = [];
  let pending: ExchangeEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the last flush applied more than BUSY_BATCH exchanges. */
  let busy = false;
  let unsubscribe: (() => void) | null = null;

  const count = computed(() => {
    void revision.value;
    return rows.value.length;
  });

  /** Subscribes to events and loads the first snapshot. */
  async function start(): Promise<void> {
    if (!unsubscribe) unsubscribe = inspectorClient().onEvent(onEvent);
    await loadSnapshot();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function onEvent(event: InspectorEvent): void {
    // Events sent while the transport was down are lost: start over from a snapshot.
    if (event.type === 'notice' && event.message === RECONNECTED_NOTICE) {
      void loadSnapshot();
      return;
    }
    if (!event.type.startsWith('exchanges-')) return;
    const e = event as ExchangeEvent;
    if (syncing) {
      queued.push(e);
      return;
    }
    pending.push(e);
    if (!flushTimer) flushTimer = setTimeout(flushNow, busy ? BUSY_FLUSH_MS : FLUSH_MS);
  }

  /**
   * Applies the buffered deltas as one batch (one re-render however many arrived), in
   * slices of FLUSH_SLICE_MS when there is a backlog.
   */
  function flushNow(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!pending.length) return;
    const deadline = performance.now() + FLUSH_SLICE_MS;
    let done = 0;
    let items = 0;
    while (done < pending.length) {
      const e = pending[done++]!;
      if ('items' in e) items += e.items.length;
      apply(e);
      if (performance.now() > deadline) break;
    }
    busy = items > BUSY_BATCH;
    pending = done === pending.length ? [] : pending.slice(done);
    changed();
    if (pending.length) flushTimer = setTimeout(flushNow, 0);
  }

  async function loadSnapshot(): Promise<void> {
    const gen = ++generation;
    syncing = true;
    loading.value = true;
    lastError.value = null;
    // Deltas not yet applied are superseded by the snapshot, but keep them for the
    // replay: the replay skips what the snapshot already holds.
    queued.push(...pending);
    pending = [];
    const filter = filterText.value.trim() || undefined;
    try {
      const first = await inspectorClient().listExchanges({
        filter,
        offset: 0,
        limit: FIRST_PAGE,
      });
      if (gen !== generation) return;
      const list: Array<ExchangeSummary | undefined> = new Array(
        Math.max(first.total, first.items.length),
      );
      first.items.forEach((item, i) => (list[i] = item));
      rows.value = markRaw(list);
      ready.value = true;
      changed();
      const loaded = await loadRest(list, first.items.length, filter, gen);
      if (loaded === null) return;
      // Whatever the server counted but did not return (evicted meanwhile) is dropped.
      if (loaded < list.length) list.length = loaded;
    } catch (error) {
      if (gen !== generation) return;
      lastError.value = `Could not load the exchanges: ${errorText(error)}`;
      ready.value = true;
    }
    if (gen !== generation) return;
    syncing = false;
    loading.value = false;
    epoch.value++;
    // The replay goes through the sliced flush like any backlog.
    pending = queued.concat(pending);
    queued = [];
    if (pending.length) flushNow();
    else changed();
  }

  /**
   * Loads the rows after the first page, PAGES_IN_FLIGHT requests at a time so the server
   * prepares the next page while this one travels and is parsed. Returns how many leading
   * rows are loaded (a short page means exchanges were evicted meanwhile: stop there), or
   * null when a newer snapshot took over.
   */
  async function loadRest(
    list: Array<ExchangeSummary | undefined>,
    from: number,
    filter: string | undefined,
    gen: number,
  ): Promise<number | null> {
    const inFlight: Array<{ offset: number; page: Promise<ListResult> }> = [];
    let next = from;
    const request = () => {
      while (inFlight.length < PAGES_IN_FLIGHT && next < list.length) {
        const page = inspectorClient().listExchanges({
          filter,
          offset: next,
          limit: SNAPSHOT_PAGE,
        });
        page.catch(() => undefined); // Awaited below, or dropped once a newer snapshot wins.
        inFlight.push({ offset: next, page });
        next += SNAPSHOT_PAGE;
      }
    };
    request();
    let loaded = from;
    while (inFlight.length) {
      const { offset, page } = inFlight.shift()!;
      const { items } = await page;
      if (gen !== generation) return null;
      request();
      for (let i = 0; i < items.length; i++) list[offset + i] = items[i];
      loaded = offset + items.length;
      changed();
      if (items.length < Math.min(SNAPSHOT_PAGE, list.length - offset)) break;
    }
    return loaded;
  }

  function apply(e: ExchangeEvent): void {
    const list = rows.value;
    switch (e.type) {
      case 'exchanges-added':
        for (const item of e.items) if (compiled.predicate(item)) upsert(list, item);
        break;
      case 'exchanges-updated':
        for (const item of e.items) {
          if (compiled.predicate(item)) upsert(list, item);
          else remove(list, item.id);
        }
        break;
      case 'exchanges-cleared':
        list.length = 0;
        epoch.value++;
        break;
      case 'exchanges-evicted': {
        const cut = lowerBound(list, e.upToId + 1);
        list.splice(0, cut);
        notice.value = e.notice;
        epoch.value++;
        break;
      }
    }
  }

  function changed(): void {
    triggerRef(rows);
    revision.value++;
  }

  function setFilter(text: string): Promise<void> {
    filterText.value = text;
    compiled = compileFilter(text);
    filterErrors.value = compiled.errors;
    return loadSnapshot();
  }

  /** The summary with this id, if it is in the (filtered) list. */
  function findById(id: number): ExchangeSummary | undefined {
    const list = rows.value;
    const i = lowerBound(list, id);
    return list[i]?.id === id ? list[i] : undefined;
  }

  function indexOfId(id: number): number {
    return indexIn(rows.value, id);
  }

  async function clearAll(): Promise<void> {
    await inspectorClient().clear();
    rows.value = markRaw([]);
    epoch.value++;
    changed();
  }

  return {
    rows,
    ready,
    loading,
    filterText,
    filterErrors,
    lastError,
    notice,
    revision,
    epoch,
    count,
    start,
    stop,
    flushNow,
    setFilter,
    findById,
    indexOfId,
    clearAll,
    reload: loadSnapshot,
  };
});

function upsert(list: Array<ExchangeSummary | undefined>, item: ExchangeSummary): void {
  const last = list[list.length - 1];
  if (!last || last.id < item.id) {
    list.push(item);
    return;
  }
  const i = lowerBound(list, item.id);
  if (list[i]?.id === item.id) list[i] = item;
  else list.splice(i, 0, item);
}

function remove(list: Array<ExchangeSummary | undefined>, id: number): void {
  const i = lowerBound(list, id);
  if (list[i]?.id === id) list.splice(i, 1);
}
