import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BodySliceQuery } from '../../shared/api/inspector-api';
import type { ExchangeDetail, MessageRecord } from '../../shared/model/exchange';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useSelectionStore } from '../../renderer/src/stores/selection-store';
import { fakeClient, summary } from './fake-client';

const request = 'GET / HTTP/1.1\r\nhOsT:  h \r\n\r\n';
const response = 'HTTP/1.1 200 OK\r\nX-A:b\r\n\r\nhi';
const enc = (s: string) => new TextEncoder().encode(s);

function record(startLine: string, wire: string, bodyStart: number): MessageRecord {
  return {
    startLine,
    headers: [],
    layout: {
      startLine: { start: 0, end: startLine.length },
      headerLines: [],
      headerBlock: { start: startLine.length + 2, end: bodyStart },
      body: { start: bodyStart, end: wire.length },
    },
    rawLength: wire.length,
    issues: [],
    complete: true,
  };
}

let reads: BodySliceQuery[];
beforeEach(() => {
  setActivePinia(createPinia());
  reads = [];
  const detail: ExchangeDetail = {
    summary: summary(9),
    connection: null,
    request: record('GET / HTTP/1.1', request, request.length),
    response: record('HTTP/1.1 200 OK', response, response.length - 2),
    timings: { start: 0 },
    warnings: [],
  };
  setInspectorClient(
    fakeClient({
      getExchange: async () => detail,
      readBody: async (q) => {
        reads.push(q);
        const wire = enc(q.side === 'request' ? request : response);
        const all = q.part === 'message' ? wire : wire.subarray(detail[q.side]!.layout!.body.start);
        const offset = q.offset ?? 0;
        const bytes = all.subarray(offset, offset + (q.length ?? 1 << 20));
        return { bytes, offset, total: all.length };
      },
    }),
  );
});

describe('selection store: recorded heads', () => {
  it('loads both heads as recorded bytes (part "message", up to the body) with the detail', async () => {
    const selection = useSelectionStore();
    await selection.select(9);
    expect(new TextDecoder().decode(selection.heads.request!)).toBe(request);
    expect(new TextDecoder().decode(selection.heads.response!)).toBe(response.slice(0, -2));
    const headReads = reads.filter((r) => r.part === 'message');
    expect(headReads.map((r) => [r.side, r.offset, r.length])).toEqual([
      ['request', 0, request.length],
      ['response', 0, response.length - 2],
    ]);
  });

  it('forgets the heads when the selection is cleared', async () => {
    const selection = useSelectionStore();
    await selection.select(9);
    await selection.select(null);
    expect(selection.heads).toEqual({ request: null, response: null });
  });
});
