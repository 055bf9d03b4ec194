/**
 * A scriptable InspectorClient for store tests: the stores are under test, the transport
 * is not. Calls are recorded; `listExchanges` answers can be held back to let events
 * arrive "during" the snapshot.
 */
import type {
  InspectorClient,
  InspectorEvent,
  ListQuery,
  ListResult,
} from '../../shared/api/inspector-api';
import type { ExchangeSummary } from '../../shared/model/exchange';

export function summary(id: number, patch: Partial<ExchangeSummary> = {}): ExchangeSummary {
  return {
    id,
    connectionId: 1,
    indexOnConnection: id - 1,
    source: 'proxy',
    state: 'complete',
    scheme: 'http',
    method: 'GET',
    host: 'example.test',
    port: 80,
    path: `/item/${id}`,
    url: `http://example.test/item/${id}`,
    status: 200,
    contentType: 'text/plain',
    requestBytes: 40,
    responseBytes: 100,
    startedAt: 1_700_000_000_000 + id,
    durationMs: 3,
    error: null,
    malformed: false,
    ...patch,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface FakeClient extends InspectorClient {
  calls: Array<{ method: string; args: unknown[] }>;
  emit(event: InspectorEvent): void;
  /** The stored exchanges `listExchanges` pages over (filtered by `listFilter`). */
  stored: ExchangeSummary[];
  listFilter: (s: ExchangeSummary, filter: string | undefined) => boolean;
  /** When set, the next listExchanges waits for this before answering. */
  hold: Deferred<void> | null;
}

export function fakeClient(overrides: Partial<InspectorClient> = {}): FakeClient {
  const listeners = new Set<(e: InspectorEvent) => void>();
  const notImplemented = (name: string) => () =>
    Promise.reject({ code: 'INTERNAL', message: `${name} not scripted` });
  const client: FakeClient = {
    calls: [],
    stored: [],
    hold: null,
    listFilter: () => true,
    emit: (event) => listeners.forEach((l) => l(event)),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async listExchanges(query: ListQuery): Promise<ListResult> {
      client.calls.push({ method: 'listExchanges', args: [query] });
      // Snapshot taken now; the answer may be delivered later (like a real round trip).
      const matching = client.stored.filter((s) => client.listFilter(s, query.filter));
      const offset = query.offset ?? 0;
      const result = {
        items: matching.slice(offset, offset + (query.limit ?? 1000)),
        total: matching.length,
      };
      const hold = client.hold;
      client.hold = null;
      if (hold) await hold.promise;
      return result;
    },
    getProxyStatus: notImplemented('getProxyStatus'),
    startProxy: notImplemented('startProxy'),
    stopProxy: notImplemented('stopProxy'),
    getLimits: notImplemented('getLimits'),
    setLimits: notImplemented('setLimits'),
    getExchange: notImplemented('getExchange'),
    readBody: notImplemented('readBody'),
    send: notImplemented('send'),
    cancelSend: notImplemented('cancelSend'),
    clear: async () => {
      client.calls.push({ method: 'clear', args: [] });
      client.stored = [];
    },
    getCaInfo: notImplemented('getCaInfo'),
    launchBrowser: notImplemented('launchBrowser'),
    exportHar: notImplemented('exportHar'),
    importHar: notImplemented('importHar'),
    saveCapture: notImplemented('saveCapture'),
    openCapture: notImplemented('openCapture'),
    cancelJob: async () => false,
    toCurl: notImplemented('toCurl'),
    fromCurl: notImplemented('fromCurl'),
    ...overrides,
  };
  return client;
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
