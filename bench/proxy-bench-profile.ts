/**
 * In-process driver for CPU-profiling the capture proxy (run with `node --cpu-prof`):
 * an origin, the proxy with a no-op recorder, and C keep-alive raw-socket clients each
 * sending absolute-form GETs one after another until N responses arrived.
 *   node --cpu-prof main/headless/bin/run-ts.mjs bench/proxy-bench-profile.ts [N] [C]
 */
import http from 'node:http';
import net from 'node:net';
import { ProxyServer } from '../main/core/proxy/proxy-server';
import type { ExchangeRecorder } from '../main/core/store/recorder-types';

const N = Number(process.argv[2] ?? 20_000);
const C = Number(process.argv[3] ?? 20);
const noop = (): undefined => undefined;
const writer = {
  id: 0,
  setTarget: noop,
  appendRequest: noop,
  appendResponse: noop,
  setRequest: noop,
  setResponse: noop,
  addInformational: noop,
  mark: noop,
  setState: noop,
  addWarning: noop,
  setTunnelBytes: noop,
  fail: noop,
  finish: noop,
};
const recorder: ExchangeRecorder = {
  openConnection: () => 0,
  updateConnection: noop,
  startExchange: () => writer,
};

const body = Buffer.alloc(1024, 'k');
const origin = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 1024 });
  res.end(body);
});
origin.keepAliveTimeout = 60_000;
await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
const originPort = (origin.address() as net.AddressInfo).port;
const proxy = new ProxyServer({ recorder });
const { port } = await proxy.start({ port: 0 });
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
  `${N} requests, ${C} connections: ${Math.round((N / ms) * 1000)} req/s, ` +
    `CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms/req (proxy+origin+clients)\n`,
);
await proxy.stop();
origin.close();
process.exit(0);
