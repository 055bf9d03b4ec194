/**
 * Memory and speed of the exchange store, per stored small exchange.
 *
 *   node --expose-gc main/headless/bin/run-ts.mjs bench/store-memory-bench.ts [N]
 *
 * Records N exchanges (1 KiB response body, realistic heads, 10 per connection) through
 * the ExchangeRecorder API into a temporary data folder, then measures heap + array-buffer
 * and RSS growth per exchange. Baseline in the same run: a naive in-memory store that
 * keeps each ExchangeDetail and both raw messages as objects (what a simple inspector
 * does). Also: recording rate (vs the naive store) and reopen (replay) time of the log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExchangeDetail } from '../shared/model/exchange';
import { ExchangeStore, CAPTURE_DIR } from '../main/core/store/exchange-store';
import type { ExchangeRecorder } from '../main/core/store/recorder-types';
import { enc, messageOf } from '../test/main/core/store/message-fixtures';

const N = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const BODY = new Uint8Array(1024).fill(120);
function messages(i: number): { request: Uint8Array; response: Uint8Array } {
  const request = enc(
    `GET /api/items/${i}?page=${i % 17} HTTP/1.1\r\nHost: app.example.test:8080\r\n` +
      `User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0\r\nAccept: application/json\r\n` +
      `Accept-Encoding: gzip, deflate, br\r\nCookie: session=abcdef0123456789\r\n\r\n`,
  );
  const head = enc(
    `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n` +
      `Date: Thu, 26 Nov 2026 12:00:00 GMT\r\nCache-Control: no-store\r\n\r\n`,
  );
  const response = new Uint8Array(head.length + BODY.length);
  response.set(head);
  response.set(BODY, head.length);
  return { request, response };
}

/**
 * Distinct messages, made before timing starts (the parser's work is not the store's).
 * Cycled; each exchange still gets its own path string and message objects from the
 * producer's point of view, since both stores copy what they keep.
 */
const TEMPLATES = Array.from({ length: 1000 }, (_, i) => {
  const { request, response } = messages(i);
  return { request, response, mq: messageOf(request), mr: messageOf(response) };
});

async function record(recorder: ExchangeRecorder, n: number): Promise<void> {
  let connectionId = 0;
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) {
      connectionId = recorder.openConnection({
        source: 'proxy',
        openedAt: Date.now(),
        clientAddress: '127.0.0.1',
        clientPort: 40000 + (i % 20000),
      });
    }
    const { request, response, mq, mr } = TEMPLATES[i % TEMPLATES.length];
    const w = recorder.startExchange({
      connectionId,
      indexOnConnection: i % 10,
      source: 'proxy',
      scheme: 'http',
      host: 'app.example.test',
      port: 8080,
      timings: { start: Date.now() },
    });
    w.appendRequest(request);
    w.setRequest(mq);
    w.mark('requestEnd');
    w.appendResponse(response.subarray(0, response.length - 1024));
    w.setResponse(mr);
    w.appendResponse(response.subarray(response.length - 1024));
    w.mark('responseEnd');
    w.finish();
    // Let timers and flushes run, as they would between real network events.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
}

/** The baseline: every exchange kept whole in memory. */
class NaiveStore implements ExchangeRecorder {
  items: Array<{ detail: Partial<ExchangeDetail>; raw: { q: Uint8Array[]; r: Uint8Array[] } }> = [];
  private conns = 0;
  openConnection(): number {
    return ++this.conns;
  }
  updateConnection(): void {}
  startExchange(init: Parameters<ExchangeRecorder['startExchange']>[0]) {
    const item = {
      detail: { timings: init.timings, warnings: [] } as Partial<ExchangeDetail>,
      raw: { q: [] as Uint8Array[], r: [] as Uint8Array[] },
    };
    this.items.push(item);
    return {
      id: this.items.length,
      setTarget() {},
      appendRequest: (b: Uint8Array) => void item.raw.q.push(b.slice()),
      appendResponse: (b: Uint8Array) => void item.raw.r.push(b.slice()),
      // A real producer hands over a fresh parsed object per message: keep a copy.
      setRequest: (m: never) => void (item.detail.request = structuredClone(m)),
      setResponse: (m: never) => void (item.detail.response = structuredClone(m)),
      addInformational() {},
      mark: (k: string, at?: number) =>
        void ((item.detail.timings as unknown as Record<string, number>)[k] = at ?? Date.now()),
      setState() {},
      addWarning() {},
      setTunnelBytes() {},
      fail() {},
      finish() {},
    };
  }
}

function usage(): { heap: number; rss: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

interface PhaseResult {
  heapPerExchange: number;
  rssPerExchange: number;
  exchangesPerSecond: number;
  /** Per CPU second of this process: less sensitive to a loaded machine than wall time. */
  exchangesPerCpuSecond: number;
  logBytesPerExchange?: number;
  reopenMs?: number;
  reopenCpuMs?: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** One measured phase, in its own process so RSS is not muddied by the other phase. */
async function phase(kind: 'naive' | 'store', n: number): Promise<PhaseResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-bench-'));
  try {
    // Warm up the code paths so JIT/code memory is not counted per exchange.
    const warm =
      kind === 'store' ? await ExchangeStore.open(path.join(dir, 'warm')) : new NaiveStore();
    await record(warm, 2000);
    if (warm instanceof ExchangeStore) await warm.close();
    const before = usage();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const recorder = kind === 'store' ? await ExchangeStore.open(dir) : new NaiveStore();
    await record(recorder, n);
    if (recorder instanceof ExchangeStore) recorder.flush();
    const ms = performance.now() - t0;
    const cpu = cpuMs(c0);
    const after = usage();
    const result: PhaseResult = {
      heapPerExchange: (after.heap - before.heap) / n,
      rssPerExchange: (after.rss - before.rss) / n,
      exchangesPerSecond: n / (ms / 1000),
      exchangesPerCpuSecond: n / (cpu / 1000),
    };
    if (recorder instanceof ExchangeStore) {
      if (recorder.list().total !== n) throw new Error('not all exchanges stored');
      await recorder.close();
      const capture = path.join(dir, CAPTURE_DIR);
      result.logBytesPerExchange =
        (statSync(path.join(capture, 'records.ndjson')).size +
          statSync(path.join(capture, 'bodies.bin')).size) /
        n;
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const reopened = await ExchangeStore.open(dir);
      result.reopenMs = performance.now() - t1;
      result.reopenCpuMs = cpuMs(c1);
      if (reopened.list().total !== n) throw new Error('reopen lost exchanges');
      await reopened.close();
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(kind: string): PhaseResult {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', 'main/headless/bin/run-ts.mjs', 'bench/store-memory-bench.ts', String(N), kind],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

const kind = process.argv[3];
if (kind === 'naive' || kind === 'store') {
  console.log(JSON.stringify(await phase(kind, N)));
} else {
  const naive = runChild('naive');
  const store = runChild('store');
  const raw = messages(1).request.length + messages(1).response.length;
  const kb = (b: number): string => (b / 1024).toFixed(2);
  console.log(
    `store memory bench: N=${N}, raw bytes per exchange ${raw} (body 1024), each phase in its own process`,
  );
  for (const [name, r] of [
    ['naive in-memory', naive],
    ['ExchangeStore', store],
  ] as const) {
    console.log(
      `${name.padEnd(16)}: heap+buffers ${kb(r.heapPerExchange)} KiB/exchange (${(r.heapPerExchange - 1024).toFixed(0)} B beyond the body), ` +
        `RSS ${kb(r.rssPerExchange)} KiB/exchange (${(r.rssPerExchange - 1024).toFixed(0)} B beyond), ${r.exchangesPerSecond.toFixed(0)} exchanges/s (${r.exchangesPerCpuSecond.toFixed(0)} per CPU s)`,
    );
  }
  console.log(
    `ratios store/naive: heap ${(store.heapPerExchange / naive.heapPerExchange).toFixed(2)}x, RSS ${(store.rssPerExchange / naive.rssPerExchange).toFixed(2)}x, ` +
      `recording rate ${(store.exchangesPerSecond / naive.exchangesPerSecond).toFixed(2)}x (per CPU s ${(store.exchangesPerCpuSecond / naive.exchangesPerCpuSecond).toFixed(2)}x)`,
  );
  console.log(
    `log on disk ${kb(store.logBytesPerExchange!)} KiB/exchange; reopen (replay) of ${N}: ${store.reopenMs!.toFixed(0)} ms wall, ${store.reopenCpuMs!.toFixed(0)} ms CPU`,
  );
}
