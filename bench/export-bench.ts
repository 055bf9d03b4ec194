/**
 * Export / import / capture-file speed, each as a ratio to a baseline run in the same
 * process on the same data:
 *
 *   node main/headless/bin/run-ts.mjs bench/export-bench.ts [N] [HAR_N]
 *
 * - Capture open (N exchanges, default 100,000): openCapture (unpack + open the store,
 *   list ready) vs reopening the original data folder with ExchangeStore.open (replay only),
 *   and both vs `JSON.parse` of every line of the same records.ndjson (wall and CPU time).
 * - HAR export (HAR_N exchanges, default 10,000): exportHar to a file vs reading every
 *   exchange's detail and raw bytes from the store (the unavoidable part).
 * - HAR import: importHar of that file into an empty store vs JSON.parse of its text.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCapture, saveCapture } from '../main/core/export/capture-file';
import { exportHar } from '../main/core/export/export-har';
import { importHar } from '../main/core/export/import-har';
import { ExchangeStore } from '../main/core/store/exchange-store';
import { messageRecordOf } from '../shared/har/message-record';
import { importMany, timed } from './bench-store-fill';

const N = Number(process.argv[2] ?? 100_000);
const HAR_N = Number(process.argv[3] ?? 10_000);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wirelens-export-bench-'));
  dirs.push(d);
  return d;
};
const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

async function filledStore(count: number): Promise<{ dir: string; store: ExchangeStore }> {
  const dir = tmp();
  const store = await ExchangeStore.open(dir);
  const body = new Uint8Array(1024).fill(120);
  const head = enc(
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n',
  );
  const response = new Uint8Array([...head, ...body]);
  const responseMessage = messageRecordOf(response, 'response', 'GET');
  await importMany(store, count, (i) => {
    const request = enc(`GET /api/items/${i} HTTP/1.1\r\nHost: app.test\r\nAccept: */*\r\n\r\n`);
    return {
      request: { raw: request, message: messageRecordOf(request, 'request') },
      response: { raw: response, message: responseMessage },
      host: 'app.test',
      port: 80,
      timings: { start: 1_700_000_000_000 + i },
    };
  });
  return { dir, store };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const both = (r: { ms: number; cpuMs: number }) => `${fmt(r.ms)} (CPU ${fmt(r.cpuMs)})`;

/** Baseline: every line of records.ndjson through JSON.parse (the file read whole). */
function parseEveryLine(file: string): number {
  const text = readFileSync(file);
  let lines = 0;
  let start = 0;
  for (let nl = text.indexOf(10); nl >= 0; nl = text.indexOf(10, start)) {
    JSON.parse(text.toString('utf8', start, nl));
    lines++;
    start = nl + 1;
  }
  return lines;
}

async function main(): Promise<void> {
  // Capture open.
  const big = await filledStore(N);
  const file = path.join(tmp(), 'bench.wlcap');
  const save = await timed(() => saveCapture(big.store, file));
  await big.store.close();
  const parsed = await timed(async () =>
    parseEveryLine(path.join(big.dir, 'capture', 'records.ndjson')),
  );
  const reopen = await timed(async () => {
    const s = await ExchangeStore.open(big.dir);
    const total = s.list({ limit: 100 }).total;
    await s.close();
    return total;
  });
  const opened = await timed(async () => {
    const s = await openCapture(file, tmp());
    const total = s.list({ limit: 100 }).total;
    await s.close();
    return total;
  });
  console.log(
    `capture: ${N} exchanges, file ${(save.value.bytes / 2 ** 20).toFixed(1)} MiB, save ${fmt(save.ms)}`,
  );
  console.log(`  open capture file (list ready): ${both(opened)} (${opened.value} rows)`);
  console.log(`  baseline, reopen the data folder: ${both(reopen)} (${reopen.value} rows)`);
  console.log(
    `  baseline, JSON.parse of every records.ndjson line: ${both(parsed)} (${parsed.value} lines)`,
  );
  console.log(`  ratio open/reopen: ${(opened.ms / reopen.ms).toFixed(2)}`);
  console.log(
    `  ratio reopen/JSON.parse: ${(reopen.ms / parsed.ms).toFixed(2)} (CPU ${(reopen.cpuMs / parsed.cpuMs).toFixed(2)})`,
  );

  // HAR export and import.
  const small = await filledStore(HAR_N);
  const harFile = path.join(tmp(), 'bench.har');
  const baselineRead = await timed(async () => {
    for (const s of small.store.list({}).items) {
      small.store.get(s.id);
      await small.store.readRaw(s.id, 'request');
      await small.store.readRaw(s.id, 'response');
    }
  });
  const exported = await timed(() => exportHar(small.store, { path: harFile }));
  const text = readFileSync(harFile, 'utf8');
  const parse = await timed(async () => JSON.parse(text));
  const target = await ExchangeStore.open(tmp());
  const imported = await timed(() => importHar(target, text));
  console.log(`HAR: ${HAR_N} exchanges, ${(text.length / 2 ** 20).toFixed(1)} MiB`);
  console.log(
    `  export ${fmt(exported.ms)} vs baseline read-all ${fmt(baselineRead.ms)}: ratio ${(exported.ms / baselineRead.ms).toFixed(2)}`,
  );
  console.log(
    `  import ${fmt(imported.ms)} (${imported.value.imported}) vs baseline JSON.parse ${fmt(parse.ms)}: ratio ${(imported.ms / parse.ms).toFixed(1)}`,
  );
  await small.store.close();
  await target.close();
}

main()
  .finally(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
