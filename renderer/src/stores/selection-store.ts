/**
 * The selected exchange and its detail: start lines, headers, timings (getExchange) and
 * the bodies (readBody, in slices). Re-fetches when the selected exchange's summary
 * changes (e.g. pending → complete) so the view never shows a stale half.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { MessageSide } from '../../../shared/api/inspector-api';
import type { ExchangeDetail, ExchangeSummary } from '../../../shared/model/exchange';
import { createBodyLoader, type BodyView } from './body-loader';
import { errorText, inspectorClient } from './client';
import { useExchangesStore } from './exchanges-store';
import { readHead } from './head-reader';

export const useSelectionStore = defineStore('selection', () => {
  const exchanges = useExchangesStore();
  const selectedId = ref<number | null>(null);
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

  async function select(id: number | null): Promise<void> {
    if (id === selectedId.value && detail.value) return;
    selectedId.value = id;
    await refresh();
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

  return {
    selectedId,
    detail,
    loading,
    error,
    bodyViews,
    heads,
    requestBody: bodies.request.state,
    responseBody: bodies.response.state,
    select,
    refresh,
    setBodyView,
  };
});
