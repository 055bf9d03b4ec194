/**
 * CPU cost of recording one exchange through the ExchangeRecorder API, as the proxy calls
 * it (raw bytes in pieces, heads, states, marks, the completed message again, finish).
 *
 *   node main/headless/bin/run-ts.mjs bench/store-record-bench.ts [N]
 *
 * Baseline in the same run: a recorder that does nothing (the harness's own cost).
 * Process CPU time, so a loaded machine inflates it less than wall time would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExchangeStore } from '../main/core/store/exchange-store';
import { NULL_RECORDER } from '../main/core/proxy/exchange-record';
import type { ExchangeRecorder } from '../main/core/store/recorder-types';
import { enc, messageOf } from '../test/main/core/store/message-fixtures';
import { recordLikeProxy } from './record-like-proxy';

const N = Number(process.argv[2] ?? 10_000);

const TEMPLATES = Array.from({ length: 200 }, (_, i) => {
  const request = enc(
    `GET /api/items/${i} HTTP/1.1\r\nHost: app.example.test:8080\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n`,
  );
  const response = enc(
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n' +
      'x'.repeat(1024),
  );
  return {
    request,
    response,
    headEnd: response.length - 1024,
    mq: messageOf(request),
    mr: messageOf(response),
  };
});

/** CPU µs per exchange. */
async function run(recorder: ExchangeRecorder, n: number): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = TEMPLATES[i % TEMPLATES.length];
    const w = recorder.startExchange({
      connectionId: 1,
      indexOnConnection: i,
      source: 'proxy',
      scheme: 'http',
      host: 'app.example.test',
      port: 8080,
      timings: { start: Date.now() },
    });
    recordLikeProxy(w, t);
    // Let the store's flushes run between "network events", 20 exchanges per turn.
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
  }
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / n;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-bench-'));
const store = await ExchangeStore.open(dir);
await run(store, 3000);
await run(NULL_RECORDER, 3000);
const rounds: Array<[number, number]> = [];
for (let k = 0; k < 3; k++) rounds.push([await run(NULL_RECORDER, N), await run(store, N)]);
await store.close();
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(rounds.map((r) => r[0]));
const cost = median(rounds.map((r) => r[1]));
console.log(`store record bench: N=${N} × 3 rounds, CPU µs per exchange (median)`);
console.log(
  `null recorder (baseline) ${base.toFixed(1)} µs; ExchangeStore ${cost.toFixed(1)} µs; store's own cost ${(cost - base).toFixed(1)} µs`,
);
