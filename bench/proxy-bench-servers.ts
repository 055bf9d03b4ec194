/**
 * Child processes of the proxy benchmark, one role each so that every server has its own
 * event loop and its own peak RSS (/proc/PID/status VmHWM):
 *   origin   — node:http serving /1k and /1m from preallocated buffers
 *   wirelens — the capture proxy recording everything into a store in a temp folder
 * Each prints {"port":N} once listening.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ProxyServer } from '../main/core/proxy/proxy-server';
import { NULL_RECORDER } from '../main/core/proxy/exchange-record';

const role = process.argv[2];
const ready = (port: number): void => void process.stdout.write(JSON.stringify({ port }) + '\n');

/** p50/p99 of the time each exchange spent inside the proxy (head in → response out). */
function percentiles(xs: number[]): { p50: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round((s[Math.floor(q * (s.length - 1))] ?? 0) * 100) / 100;
  return { p50: at(0.5), p99: at(0.99) };
}

async function origin(): Promise<void> {
  const bodies: Record<string, Buffer> = {
    '/1k': Buffer.alloc(1024, 'k'),
    '/1m': Buffer.alloc(1024 * 1024, 'm'),
  };
  const server = http.createServer((req, res) => {
    const body = bodies[req.url ?? ''] ?? Buffer.from('not found');
    res.writeHead(body.length > 9 ? 200 : 404, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  let connections = 0;
  server.on('connection', () => connections++);
  process.on('SIGTERM', () => {
    process.stderr.write(JSON.stringify({ originConnections: connections }) + '\n');
    process.exit(0);
  });
  server.listen(0, '127.0.0.1', () => ready((server.address() as net.AddressInfo).port));
}

async function wirelens(record: boolean): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-bench-'));
  // Loaded only when recording: the origin and the no-recording proxy do not need the store.
  const store = record
    ? await (await import('../main/core/store/exchange-store')).ExchangeStore.open(dir)
    : null;
  // Outcome counts, printed at exit: a fast proxy that fails requests is not fast.
  const outcomes: Record<string, number> = {};
  const durations: number[] = [];
  const proxy = new ProxyServer({
    recorder: store ?? NULL_RECORDER,
    onExchangeEnd: (e) => {
      const key = e.error ? e.error.code : String(e.status);
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      durations.push(e.durationMs);
    },
  });
  const { port } = await proxy.start({ host: '127.0.0.1', port: 0 });
  const stop = async (): Promise<void> => {
    await proxy.stop({ graceMs: 100 });
    process.stderr.write(
      JSON.stringify({ stored: store?.size ?? 0, outcomes, proxyMs: percentiles(durations) }) +
        '\n',
    );
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  ready(port);
}

if (role === 'origin') void origin();
else if (role === 'wirelens') void wirelens(true);
else if (role === 'wirelens-no-recording') void wirelens(false);
else {
  process.stderr.write('usage: proxy-bench-servers.ts origin|wirelens|wirelens-no-recording\n');
  process.exit(2);
}
