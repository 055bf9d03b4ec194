/**
 * "Open capture" through the UI path, as a ratio to the store's own replay in the same run:
 *
 *   node main/headless/bin/run-ts.mjs bench/capture-open-ui-bench.ts [N]
 *
 * A capture of N exchanges (default 100,000; small GETs, 200–1,200-byte JSON responses) is
 * saved to a .wlcap. Then, against a real InspectorService behind the real web server:
 * `POST /api/files` streams the file up, `openCapture` over the WebSocket replaces a
 * non-empty session (archived), and the UI's first list page (1,000 rows) is fetched —
 * "the list is shown". One body is then read (bodies load lazily). Baseline: reopening the
 * original data folder with ExchangeStore.open plus the same first page (replay only).
 * Wall time and this process's CPU time (server and client share it) for both.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { InspectorEvent } from '../shared/api/inspector-api';
import { FILES_API_PATH } from '../shared/api/ws-protocol';
import { messageRecordOf } from '../shared/har/message-record';
import { saveCapture } from '../main/core/export/capture-file';
import { InspectorService } from '../main/core/inspector-service';
import { ExchangeStore } from '../main/core/store/exchange-store';
import { startWebServer } from '../main/headless/web-bridge/web-server';
import { importMany, timed } from './bench-store-fill';
import { createWsClient, type SocketLike } from '../renderer/src/api/ws-client';

const N = Number(process.argv[2] ?? 100_000);
const FIRST_PAGE = 1000;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wirelens-open-ui-bench-'));
  dirs.push(d);
  return d;
};
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** A data folder holding `count` recorded exchanges with JSON bodies of varying size. */
async function recordedFolder(count: number): Promise<string> {
  const dir = tmp();
  const store = await ExchangeStore.open(dir);
  await importMany(store, count, (i) => {
    const request = bytes(`GET /v1/orders/${i}?expand=lines HTTP/1.1\r\nHost: shop.test\r\n\r\n`);
    const json = JSON.stringify({ id: i, lines: 'x'.repeat(200 + (i % 1000)) });
    const response = bytes(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
    );
    return {
      request: { raw: request, message: messageRecordOf(request, 'request') },
      response: { raw: response, message: messageRecordOf(response, 'response', 'GET') },
      host: 'shop.test',
      port: 80,
      timings: { start: 1_790_000_000_000 + i },
    };
  });
  await store.close();
  return dir;
}

function upload(port: number, token: string, file: string): Promise<{ fileId: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${FILES_API_PATH}?name=bench.wlcap`,
        headers: { 'X-Wirelens-Token': token, 'Content-Length': statSync(file).size },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(text)),
        );
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

async function main(): Promise<void> {
  const load = os.loadavg()[0].toFixed(1);
  const source = await recordedFolder(N);
  const file = path.join(tmp(), 'bench.wlcap');
  const store = await ExchangeStore.open(source);
  const saved = await saveCapture(store, file);
  await store.close();

  const baseline = await timed(async () => {
    const s = await ExchangeStore.open(source);
    const page = s.list({ offset: 0, limit: FIRST_PAGE });
    await s.close();
    return page.total;
  });

  const service = await InspectorService.create({ dataDir: tmp(), startProxy: false });
  const web = await startWebServer({
    service,
    files: service.files,
    rendererDir: tmp(),
    host: '127.0.0.1',
    port: 0,
  });
  const client = createWsClient({
    url: `ws://127.0.0.1:${web.port}/api?token=${web.token}`,
    connect: (u) => new WebSocket(u) as unknown as SocketLike,
  });
  await client.importHar({
    text: JSON.stringify({
      log: { version: '1.2', creator: { name: 'b', version: '1' }, entries: [] },
    }),
  });
  const phases = new Map<string, { events: number; firstAtMs: number }>();
  let started = 0;
  client.onEvent((e: InspectorEvent) => {
    if (e.type !== 'job-progress') return;
    const p = phases.get(e.phase) ?? { events: 0, firstAtMs: performance.now() - started };
    p.events++;
    phases.set(e.phase, p);
  });
  const ui = await timed(async () => {
    started = performance.now();
    const { fileId } = await upload(web.port, web.token, file);
    const uploadedMs = performance.now() - started;
    const opened = await client.openCapture({ fileId, jobId: 'bench-open' });
    const page = await client.listExchanges({ offset: 0, limit: FIRST_PAGE });
    return { uploadedMs, opened, page };
  });
  const body = await timed(() =>
    client.readBody({ id: ui.value.page.items[500].id, side: 'response', view: 'decoded' }),
  );

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `load average ${load}; ${N} exchanges, capture file ${(saved.bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(
    `baseline ExchangeStore.open + first page: ${s(baseline.ms)} wall, ${s(baseline.cpuMs)} CPU (${baseline.value} rows)`,
  );
  console.log(
    `UI path upload + openCapture + first page: ${s(ui.ms)} wall, ${s(ui.cpuMs)} CPU ` +
      `(upload ${s(ui.value.uploadedMs)}; ${ui.value.opened.count} exchanges, page ${ui.value.page.items.length} of ${ui.value.page.total})`,
  );
  console.log(
    `ratio wall ${(ui.ms / baseline.ms).toFixed(2)}, CPU ${(ui.cpuMs / baseline.cpuMs).toFixed(2)}`,
  );
  for (const [phase, p] of phases) {
    console.log(`  progress "${phase}": ${p.events} events, first at ${s(p.firstAtMs)}`);
  }
  console.log(
    `lazy body read of #${ui.value.page.items[500].id}: ${body.ms.toFixed(1)} ms (${body.value.bytes.length} bytes)`,
  );
  client.dispose();
  await web.close();
  await service.close();
}

main()
  .finally(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
