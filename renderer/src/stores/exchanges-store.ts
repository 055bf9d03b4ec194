/**
 * The exchange list: a snapshot (paged `listExchanges`) then live deltas (events).
 * Events that arrive while the snapshot loads are queued and replayed after it, so no
 * exchange is lost or doubled (mitmweb's pattern). Rows live in one plain array inside a
 * shallowRef — 100,000 summaries must not become deep reactive proxies; `triggerRef`
 * announces each batch of changes.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef } from 'vue';
import type { InspectorEvent } from '../../../shared/api/inspector-api';
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
 * Rows fetched per `listExchanges` call while loading the snapshot: a small first page
 * so the list shows (and is scrollable over the full count) at once, then big pages to
 * load the rest in few round trips.
 */
export const FIRST_PAGE = 1000;
export const SNAPSHOT_PAGE = 20000;

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
    if (!flushTimer) flushTimer = setTimeout(flushNow, FLUSH_MS);
  }

  /** Applies the buffered deltas as one batch (one re-render however many arrived). */
  function flushNow(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    for (const e of batch) apply(e);
    changed();
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
      let offset = first.items.length;
      while (offset < list.length) {
        const page = await inspectorClient().listExchanges({
          filter,
          offset,
          limit: SNAPSHOT_PAGE,
        });
        if (gen !== generation) return;
        if (!page.items.length) break;
        page.items.forEach((item, i) => (list[offset + i] = item));
        offset += page.items.length;
        changed();
      }
      // Whatever the server counted but did not return (evicted meanwhile) is dropped.
      if (offset < list.length) list.length = offset;
    } catch (error) {
      if (gen !== generation) return;
      lastError.value = `Could not load the exchanges: ${errorText(error)}`;
      ready.value = true;
    }
    if (gen !== generation) return;
    syncing = false;
    loading.value = false;
    const replay = queued;
    queued = [];
    for (const e of replay) apply(e);
    epoch.value++;
    changed();
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
