/**
 * The web mode's transport cost: the same InspectorApi calls made in-process (the
 * baseline: what Electron's IPC carries without JSON) and through the WebSocket bridge
 * with the renderer's own client (JSON + base64 bytes + a loopback socket). One run, same
 * service, alternating.
 *
 *   node main/headless/bin/run-ts.mjs bench/web-bridge-bench.ts [--quick]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { InspectorApi, InspectorEvent } from '../shared/api/inspector-api';
import { InspectorService } from '../main/core/inspector-service';
import { startWebServer } from '../main/headless/web-bridge/web-server';
import { createWsClient, type SocketLike } from '../renderer/src/api/ws-client';

const quick = process.argv.includes('--quick');
const CALLS = quick ? 300 : 3000;
const BODY_READS = quick ? 10 : 60;
const BODY_BYTES = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'wirelens-bench-web-'));
  const big = Buffer.alloc(BODY_BYTES, 'x');
  const origin = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': big.length });
    res.end(big);
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const service = await InspectorService.create({
    dataDir: join(root, 'data'),
    listen: { host: '127.0.0.1', port: 0 },
    proxy: { interceptHttps: false },
  });
  const web = await startWebServer({ service, rendererDir: root, host: '127.0.0.1', port: 0 });
  const client = createWsClient({
    url: `ws://127.0.0.1:${web.port}/api?token=${web.token}`,
    connect: (u) => new WebSocket(u) as unknown as SocketLike,
  });

  // Fill: 200 small exchanges and one 1 MiB body, through the real proxy.
  const proxyPort = (await service.getProxyStatus()).address!.port;
  const originPort = (origin.address() as AddressInfo).port;
  const events: InspectorEvent[] = [];
  client.onEvent((e) => events.push(e));
  for (let i = 0; i < 200; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: proxyPort,
          path: `http://127.0.0.1:${originPort}/item-${i}`,
          agent: false,
        },
        (res) => res.resume().on('end', () => resolve()),
      );
      req.on('error', reject);
      req.end();
    });
  }
  let list = await service.listExchanges({});
  for (let i = 0; i < 100 && list.items.some((s) => s.state !== 'complete'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    list = await service.listExchanges({});
  }
  const bodyId = list.items[0].id;

  const direct: InspectorApi = service;
  const rows: string[] = [];
  const compare = async (
    name: string,
    n: number,
    run: (api: InspectorApi) => Promise<unknown>,
    bytes = 0,
  ) => {
    await timeCalls(Math.max(5, n / 10), () => run(direct)); // warm-up both
    await timeCalls(Math.max(5, n / 10), () => run(client));
    const base = await timeCalls(n, () => run(direct));
    const ws = await timeCalls(n, () => run(client));
    const med = (t: number[]) => percentile(t, 50);
    const mbps = (t: number[]) =>
      bytes ? ` (${(bytes / 1048576 / (med(t) / 1000)).toFixed(0)} MB/s)` : '';
    rows.push(
      `| ${name} | ${med(ws).toFixed(3)} ms${mbps(ws)} / p99 ${percentile(ws, 99).toFixed(3)} ms | ` +
        `${med(base).toFixed(3)} ms${mbps(base)} / p99 ${percentile(base, 99).toFixed(3)} ms | ${(med(ws) / med(base)).toFixed(1)}× |`,
    );
  };
  await compare('getProxyStatus (tiny reply)', CALLS, (api) => api.getProxyStatus());
  await compare('listExchanges, 100 summaries', CALLS / 3, (api) =>
    api.listExchanges({ limit: 100 }),
  );
  await compare(
    'readBody, 1 MiB raw',
    BODY_READS,
    (api) => api.readBody({ id: bodyId, side: 'response', view: 'raw', length: BODY_BYTES }),
    BODY_BYTES,
  );

  console.log(
    `events received over the socket while filling: ${events.filter((e) => e.type.startsWith('exchanges')).length} batches`,
  );
  console.log(
    '| Call | WebSocket bridge: median / p99 | In-process (baseline): median / p99 | Ratio |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) console.log(row);

  client.dispose();
  await web.close();
  await service.close();
  origin.close();
  await rm(root, { recursive: true, force: true });
}

await main();
