/**
 * In-process driver for CPU-profiling the capture proxy (run with `node --cpu-prof`):
 * an origin, the proxy with a no-op recorder (or, with `--record`, an ExchangeStore in a
 * temporary folder), and C keep-alive raw-socket clients each sending absolute-form GETs
 * one after another until N responses arrived. `--relay`: the same load through
 * bench/raw-relay.ts instead, the baseline for the proxy's CPU per request.
 *   node --cpu-prof main/headless/bin/run-ts.mjs bench/proxy-bench-profile.ts [N] [C] [--record|--relay]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NULL_RECORDER } from '../main/core/proxy/exchange-record';
import { ProxyServer } from '../main/core/proxy/proxy-server';
import type { ExchangeRecorder } from '../main/core/store/recorder-types';
import { startRawRelay } from './raw-relay';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RECORD = process.argv.includes('--record');
const RELAY = process.argv.includes('--relay');
const N = Number(args[0] ?? 20_000);
const C = Number(args[1] ?? 20);
const storeDir = RECORD ? mkdtempSync(path.join(os.tmpdir(), 'wirelens-profile-')) : null;
// Loaded only when recording: the other modes do not depend on the store.
const store = storeDir
  ? await (await import('../main/core/store/exchange-store')).ExchangeStore.open(storeDir)
  : null;
const recorder: ExchangeRecorder = store ?? NULL_RECORDER;

const body = Buffer.alloc(1024, 'k');
const origin = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 1024 });
  res.end(body);
});
origin.keepAliveTimeout = 60_000;
await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
const originPort = (origin.address() as net.AddressInfo).port;
const proxy = RELAY ? null : new ProxyServer({ recorder });
const relay = RELAY ? await startRawRelay() : null;
const port = relay
  ? (relay.address() as net.AddressInfo).port
  : (await proxy!.start({ port: 0 })).port;
const request = Buffer.from(
  `GET http://127.0.0.1:${originPort}/1k HTTP/1.1\r\nHost: 127.0.0.1:${originPort}\r\n` +
    `User-Agent: bench\r\nAccept: */*\r\n\r\n`,
);
// Each response ends with the 1 KiB body of 'k's; count responses by their final byte run.
let left = N;
const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
await Promise.all(
  Array.from({ length: C }, () => {
    return new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      let got = 0;
      let expect = 0;
      s.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (expect === 0) {
          const end = chunk.indexOf('\r\n\r\n');
          if (end < 0) return reject(new Error('split head'));
          expect = end + 4 + 1024;
        }
        while (expect > 0 && got >= expect) {
          got -= expect;
          expect = 0;
          if (--left <= 0) return void (s.end(), resolve());
          s.write(request);
        }
        if (got > 0) expect = 0; // (not expected with one request in flight)
      });
      s.on('error', reject);
      s.write(request);
    });
  }),
);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${RELAY ? 'raw relay' : RECORD ? 'recording' : 'no-op recorder'}, ` +
    `${N} requests, ${C} connections: ${Math.round((N / ms) * 1000)} req/s, ` +
    `CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms/req (proxy+origin+clients)\n`,
);
await proxy?.stop();
relay?.close();
origin.close();
if (store) {
  process.stdout.write(`stored ${store.size} exchanges\n`);
  await store.close();
  rmSync(storeDir!, { recursive: true, force: true });
}
process.exit(0);
