import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BodySliceQuery } from '../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../shared/model/exchange';
import { SLICE_BYTES } from '../../renderer/src/stores/body-loader';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useExchangesStore } from '../../renderer/src/stores/exchanges-store';
import { useSelectionStore } from '../../renderer/src/stores/selection-store';
import { fakeClient, settle, summary, type FakeClient } from './fake-client';

let client: FakeClient;
const big = new Uint8Array(SLICE_BYTES * 2 + 5).map((_, i) => i & 0xff);
const reads: BodySliceQuery[] = [];
let detailCalls = 0;

function detailOf(id: number, state: 'pending' | 'complete'): ExchangeDetail {
  return {
    summary: summary(id, { state, status: state === 'complete' ? 200 : null }),
    connection: null,
    request: {
      startLine: 'GET / HTTP/1.1',
      headers: [['Host', 'h']],
      rawLength: 20,
      issues: [],
      complete: true,
    },
    response:
      state === 'complete'
        ? {
            startLine: 'HTTP/1.1 200 OK',
            headers: [],
            rawLength: big.length + 19,
            issues: [],
            complete: true,
          }
        : null,
    timings: { start: 0 },
    warnings: [],
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  reads.length = 0;
  detailCalls = 0;
  let state: 'pending' | 'complete' = 'complete';
  client = fakeClient({
    getExchange: async (id) => {
      detailCalls++;
      return detailOf(id, state);
    },
    readBody: async (q) => {
      reads.push(q);
      const body = q.side === 'response' ? big : new Uint8Array(0);
      const offset = q.offset ?? 0;
      return {
        bytes: body.subarray(offset, offset + (q.length ?? SLICE_BYTES)),
        offset,
        total: body.length,
      };
    },
  });
  (client as FakeClient & { setState(s: typeof state): void }).setState = (s) => (state = s);
  setInspectorClient(client);
});

describe('selection store', () => {
  it('loads the detail and the body in slices', async () => {
    const selection = useSelectionStore();
    await selection.select(3);
    expect(selection.detail?.summary.id).toBe(3);
    const responseReads = reads.filter((r) => r.side === 'response');
    expect(responseReads.map((r) => r.offset)).toEqual([0, SLICE_BYTES, SLICE_BYTES * 2]);
    expect(selection.responseBody?.done).toBe(true);
    const got = selection.responseBody!.bytes;
    // (element-wise compare: deep equality on 2 MB is very slow)
    expect(got.length).toBe(big.length);
    expect(got.every((b, i) => b === big[i])).toBe(true);

    await selection.setBodyView('response', 'raw');
    expect(reads.at(-1)).toMatchObject({ id: 3, side: 'response', view: 'raw' });
    expect(selection.bodyViews.response).toBe('raw');
  });

  it('fetches the detail again when the selected exchange is updated', async () => {
    (client as FakeClient & { setState(s: string): void }).setState('pending');
    client.stored = [summary(5, { state: 'pending', status: null })];
    const exchanges = useExchangesStore();
    await exchanges.start();
    const selection = useSelectionStore();
    await selection.select(5);
    expect(selection.detail?.response).toBeNull();

    (client as FakeClient & { setState(s: string): void }).setState('complete');
    client.emit({ type: 'exchanges-updated', items: [summary(5)] });
    exchanges.flushNow();
    for (let i = 0; i < 5 && !selection.detail?.response; i++) await settle();
    expect(selection.detail?.response?.startLine).toBe('HTTP/1.1 200 OK');
    expect(detailCalls).toBe(2);
  });

  it('shows a missing exchange in words', async () => {
    client.getExchange = async () => null;
    const selection = useSelectionStore();
    await selection.select(9);
    expect(selection.error).toBe('Exchange #9 is no longer stored.');
  });
});
