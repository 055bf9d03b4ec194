/**
 * The selected exchanges and the focused one's detail: start lines, headers, timings
 * (getExchange) and the bodies (readBody, in slices). Re-fetches when the focused
 * exchange's summary changes (e.g. pending → complete) so the view never shows a stale half.
 *
 * Multi-selection (for "Export selected" and the like): `selectedIds` is a read-only Set
 * replaced as a whole on every change (never mutated in place), always holding the
 * focused `selectedId` when there is one; `selectionCount` is its size.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { MessageSide } from '../../../shared/api/inspector-api';
import type { ExchangeDetail, ExchangeSummary } from '../../../shared/model/exchange';
import { createBodyLoader, type BodyView } from './body-loader';
import { errorText, inspectorClient } from './client';
import { useExchangesStore } from './exchanges-store';
import { readHead } from './head-reader';
import { NO_IDS, allIds, idsBetween, stillListed } from './multi-select';

export const useSelectionStore = defineStore('selection', () => {
  const exchanges = useExchangesStore();
  /** The focused exchange: the one the detail view shows (the last clicked). */
  const selectedId = ref<number | null>(null);
  /** Every selected exchange id (the focused one included); replaced, never mutated. */
  const selectedIds = shallowRef<ReadonlySet<number>>(NO_IDS);
  const selectionCount = computed(() => selectedIds.value.size);
  /** Where a Shift range starts: the last row clicked without Shift. */
  let anchorId: number | null = null;
  const detail = shallowRef<ExchangeDetail | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const bodyViews = ref<Record<MessageSide, BodyView>>({ request: 'decoded', response: 'decoded' });
  /** Each side's head (start line + header block) exactly as recorded; null until loaded. */
  const heads = shallowRef<Record<MessageSide, Uint8Array | null>>({
    request: null,
    response: null,
  });
  let seenSummary: ExchangeSummary | undefined;
  let token = 0;

  const reader = (side: MessageSide) => () => {
    const id = selectedId.value;
    const message = detail.value?.[side];
    if (id === null || !message) return null;
    return (q: { view: BodyView; offset?: number; length?: number }) =>
      inspectorClient().readBody({ id, side, ...q });
  };
  const bodies = {
    request: createBodyLoader(reader('request')),
    response: createBodyLoader(reader('response')),
  };

  /** Selects just this exchange (null: nothing) and focuses it. */
  function select(id: number | null): Promise<void> {
    selectedIds.value = id === null ? NO_IDS : new Set([id]);
    anchorId = id;
    return focus(id);
  }

  /** Moves the focus (the detail view) without changing which ids are selected. */
  async function focus(id: number | null): Promise<void> {
    if (id === selectedId.value && (detail.value || id === null)) return;
    selectedId.value = id;
    await refresh();
  }

  /** Ctrl/Cmd+click: adds or removes one exchange; the focus follows the click while selected. */
  function toggle(id: number): Promise<void> {
    const next = new Set(selectedIds.value);
    anchorId = id;
    if (next.delete(id)) {
      selectedIds.value = next;
      if (selectedId.value !== id) return Promise.resolve();
      // The focused row left the selection: focus the most recently added one still in it.
      let last: number | null = null;
      for (const other of next) last = other;
      return focus(last);
    }
    next.add(id);
    selectedIds.value = next;
    return focus(id);
  }

  /** Shift+click / Shift+Up/Down: the rows from the anchor to this one, which gets the focus. */
  function extendTo(id: number): Promise<void> {
    const from = anchorId ?? selectedId.value ?? id;
    const range = idsBetween(exchanges.rows, from, id);
    range.add(id);
    selectedIds.value = range;
    if (anchorId === null) anchorId = from;
    return focus(id);
  }

  /** Ctrl/Cmd+A: every listed (filtered) exchange; the focus stays, or goes to the newest. */
  function selectAll(): Promise<void> {
    const list = exchanges.rows;
    const all = allIds(list);
    if (!all.size) return Promise.resolve();
    let focused = selectedId.value;
    if (focused === null) focused = list[list.length - 1]?.id ?? null;
    if (focused !== null) all.add(focused);
    selectedIds.value = all;
    return focus(focused);
  }

  /** Escape: back to the focused exchange alone. */
  function collapseToFocused(): void {
    const id = selectedId.value;
    if (selectedIds.value.size <= (id === null ? 0 : 1)) return;
    selectedIds.value = id === null ? NO_IDS : new Set([id]);
    anchorId = id;
  }

  /** The selected ids in ascending order (the list's order), e.g. for an export. */
  function selectedIdList(): number[] {
    return [...selectedIds.value].sort((a, b) => a - b);
  }

  async function refresh(): Promise<void> {
    const id = selectedId.value;
    const mine = ++token;
    bodies.request.reset();
    bodies.response.reset();
    heads.value = { request: null, response: null };
    if (id === null) {
      detail.value = null;
      return;
    }
    seenSummary = exchanges.findById(id);
    loading.value = true;
    error.value = null;
    try {
      const d = await inspectorClient().getExchange(id);
      if (mine !== token) return;
      detail.value = d;
      if (!d) error.value = `Exchange #${id} is no longer stored.`;
    } catch (e) {
      if (mine !== token) return;
      detail.value = null;
      error.value = errorText(e);
    } finally {
      if (mine === token) loading.value = false;
    }
    if (mine !== token || !detail.value) return;
    const d = detail.value;
    await Promise.all([
      bodies.request.load(bodyViews.value.request),
      bodies.response.load(bodyViews.value.response),
      Promise.all([readHead(id, 'request', d.request), readHead(id, 'response', d.response)]).then(
        ([request, response]) => {
          if (mine === token) heads.value = { request, response };
        },
      ),
    ]);
  }

  function setBodyView(side: MessageSide, view: BodyView): Promise<void> {
    bodyViews.value = { ...bodyViews.value, [side]: view };
    return bodies[side].load(view);
  }

  // A new summary object for the selected id means the exchange moved on: fetch again.
  watch(
    () => exchanges.revision,
    () => {
      const id = selectedId.value;
      if (id === null) return;
      const now = exchanges.findById(id);
      if (now && now !== seenSummary) void refresh();
    },
  );

  // A new snapshot, a clear or an eviction: forget selected rows that are gone.
  watch(
    () => exchanges.epoch,
    () => {
      const kept = stillListed(selectedIds.value, exchanges.rows, selectedId.value);
      if (kept !== selectedIds.value) selectedIds.value = kept;
    },
    { flush: 'sync' },
  );

  return {
    selectedId,
    selectedIds,
    selectionCount,
    detail,
    loading,
    error,
    bodyViews,
    heads,
    requestBody: bodies.request.state,
    responseBody: bodies.response.state,
    select,
    focus,
    toggle,
    extendTo,
    selectAll,
    collapseToFocused,
    selectedIdList,
    refresh,
    setBodyView,
  };
});
