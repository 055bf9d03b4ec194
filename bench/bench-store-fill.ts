/**
 * Shared by the capture benches: filling a store with many imported exchanges, and timing
 * a step in wall and CPU time (this process's).
 */
import type { ExchangeStore } from '../main/core/store/exchange-store';
import type { ImportExchangeInput } from '../main/core/store/import-exchange';

/** Imports `count` exchanges made by `exchangeAt`, flushing every 5,000 so memory stays flat. */
export async function importMany(
  store: ExchangeStore,
  count: number,
  exchangeAt: (i: number) => ImportExchangeInput,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    store.importExchange(exchangeAt(i));
    if (i % 5000 === 4999) {
      store.flush();
      await new Promise((r) => setImmediate(r));
    }
  }
  store.flush();
}

/** Runs `fn` once: its result, wall time and this process's CPU time (user + system). */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, value };
}
