/**
 * A real proxy over a real store in a temp folder, for the proxy tests: start it on port
 * 0, wait for exchanges to end (by event, never by sleeping), read what was recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Limits } from '../../../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../../../shared/model/exchange';
import type { FinishedExchange } from '../../../../main/core/proxy/exchange-record';
import { ProxyServer, type ProxyServerOptions } from '../../../../main/core/proxy/proxy-server';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';

export interface Harness {
  proxy: ProxyServer;
  store: ExchangeStore;
  port: number;
  /** `http://127.0.0.1:PORT` for curl -x. */
  proxyUrl: string;
  ended: FinishedExchange[];
  /** Resolves when at least `n` exchanges ended (bounded). */
  waitForEnded(n: number, timeoutMs?: number): Promise<FinishedExchange[]>;
  detail(id: number): ExchangeDetail;
  raw(id: number, side: 'request' | 'response'): Promise<Buffer>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { limits?: Partial<Limits> } & Partial<ProxyServerOptions> = {},
): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-proxy-'));
  const store = await ExchangeStore.open(dir);
  const ended: FinishedExchange[] = [];
  const waiters: Array<() => void> = [];
  const proxy = new ProxyServer({
    ...options,
    recorder: store,
    onExchangeEnd: (info) => {
      ended.push(info);
      for (const w of waiters.splice(0)) w();
    },
  });
  const { port } = await proxy.start({ host: '127.0.0.1', port: 0 });
  return {
    proxy,
    store,
    port,
    proxyUrl: `http://127.0.0.1:${port}`,
    ended,
    waitForEnded: (n, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `expected ${n} ended exchanges, got ${ended.length}: ${JSON.stringify(ended)}`,
              ),
            ),
          timeoutMs,
        );
        const check = (): void => {
          if (ended.length >= n) {
            clearTimeout(timer);
            resolve(ended);
          } else waiters.push(check);
        };
        check();
      }),
    detail: (id) => {
      // Ended exchanges are finalised when the log is flushed (right after their turn).
      store.flush();
      const d = store.get(id);
      if (!d) throw new Error(`exchange ${id} not in the store`);
      return d;
    },
    raw: async (id, side) => Buffer.from(await store.readRaw(id, side)),
    close: async () => {
      await proxy.stop({ graceMs: 1000 });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
