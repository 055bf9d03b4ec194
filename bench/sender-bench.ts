/**
 * Sender round-trip benchmark: a small request to a local server (in a child process, so
 * it has its own event loop), sent by Wirelens' sender in-process vs a hand-written
 * net.Socket (the limit) vs undici.request — same run, interleaved rounds.
 *   node main/headless/bin/run-ts.mjs bench/sender-bench.ts [--quick]
 * Prints a Markdown report (docs/benchmarks.md, section "Sender").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request as undiciRequest, Agent } from 'undici';
import { ConnectionPool } from '../main/core/sender/connection-pool';
import { sendRequest } from '../main/core/sender/send-request';
import { ExchangeStore } from '../main/core/store/exchange-store';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 10;
const PER_ROUND = quick ? 100 : 300;
const WARMUP = quick ? 50 : 200;

const RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world\n';

/** The server: answers each request head with RESPONSE; knows only "\r\n\r\n". */
const SERVER_SOURCE = `
const net = require('node:net');
const RESPONSE = ${JSON.stringify(RESPONSE)};
const server = net.createServer((s) => {
  s.setNoDelay(true);
  let pending = '';
  s.on('data', (c) => {
    pending += c.toString('latin1');
    let i;
    while ((i = pending.indexOf('\\r\\n\\r\\n')) >= 0) { pending = pending.slice(i + 4); s.write(RESPONSE); }
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

type Variant = { name: string; mode: 'fresh' | 'keep-alive'; send: () => Promise<void> };

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.once('message', (port) => resolve({ child, port: Number(port) })),
  );
}

/** Reads one RESPONSE-sized answer from a socket (the server's reply is fixed). */
function readResponse(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const onData = (chunk: Buffer) => {
      got += chunk.length;
      if (got >= RESPONSE.length) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

function handWrittenFresh(port: number, request: Buffer): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setNoDelay(true);
      socket.once('connect', () => socket.write(request));
      readResponse(socket).then(() => {
        socket.destroy();
        resolve();
      }, reject);
    });
}

async function handWrittenKeepAlive(port: number, request: Buffer): Promise<() => Promise<void>> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  return async () => {
    const done = readResponse(socket);
    socket.write(request);
    await done;
  };
}

function stats(samples: number[]): { median: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)],
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))],
  };
}

async function main(): Promise<void> {
  const { child, port } = await startServer();
  const request = Buffer.from(
    `GET /bench HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: bench\r\n\r\n`,
  );
  const target = { host: '127.0.0.1', port, tls: false };
  const url = `http://127.0.0.1:${port}/bench`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-sender-bench-'));
  const store = await ExchangeStore.open(dataDir, { maxExchanges: 5000 });
  const pool = new ConnectionPool();
  const storePool = new ConnectionPool();
  const freshAgent = new Agent({ pipelining: 0 });
  const keepAgent = new Agent();
  const assertOk = (error: unknown) => {
    if (error) throw new Error(`send failed: ${JSON.stringify(error)}`);
  };

  const variants: Variant[] = [
    { name: 'net.Socket by hand', mode: 'fresh', send: handWrittenFresh(port, request) },
    {
      name: 'Wirelens sender',
      mode: 'fresh',
      send: async () => assertOk((await sendRequest({ raw: request, target })).error),
    },
    {
      name: 'Wirelens sender + store',
      mode: 'fresh',
      send: async () =>
        assertOk((await sendRequest({ raw: request, target }, { recorder: store })).error),
    },
    {
      name: 'undici.request',
      mode: 'fresh',
      send: async () => {
        const res = await undiciRequest(url, {
          dispatcher: freshAgent,
          reset: true,
          headers: { 'user-agent': 'bench' },
        });
        await res.body.text();
      },
    },
    {
      name: 'net.Socket by hand',
      mode: 'keep-alive',
      send: await handWrittenKeepAlive(port, request),
    },
    {
      name: 'Wirelens sender',
      mode: 'keep-alive',
      send: async () =>
        assertOk(
          (await sendRequest({ raw: request, target, options: { keepAlive: true } }, { pool }))
            .error,
        ),
    },
    {
      name: 'Wirelens sender + store',
      mode: 'keep-alive',
      send: async () =>
        assertOk(
          (
            await sendRequest(
              { raw: request, target, options: { keepAlive: true } },
              { pool: storePool, recorder: store },
            )
          ).error,
        ),
    },
    {
      name: 'undici.request',
      mode: 'keep-alive',
      send: async () => {
        const res = await undiciRequest(url, {
          dispatcher: keepAgent,
          headers: { 'user-agent': 'bench' },
        });
        await res.body.text();
      },
    },
  ];

  for (const v of variants) for (let i = 0; i < WARMUP; i++) await v.send();
  const samples = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const list = samples.get(v) as number[];
      for (let i = 0; i < PER_ROUND; i++) {
        const t = performance.now();
        await v.send();
        list.push((performance.now() - t) * 1000);
      }
    }
  }

  const lines: string[] = [];
  lines.push(
    `Machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length} (shared), Node ${process.version}.`,
  );
  lines.push(
    `${ROUNDS} interleaved rounds × ${PER_ROUND} sequential requests per variant (after ${WARMUP} warm-up); ` +
      'server in a child process on 127.0.0.1; round-trip in µs.',
  );
  lines.push('');
  lines.push('| connection | client | median µs | p99 µs | median ratio vs hand-written |');
  lines.push('|---|---|---:|---:|---:|');
  for (const mode of ['fresh', 'keep-alive'] as const) {
    const base = stats(samples.get(variants.find((v) => v.mode === mode) as Variant) as number[]);
    for (const v of variants.filter((x) => x.mode === mode)) {
      const s = stats(samples.get(v) as number[]);
      lines.push(
        `| ${mode === 'fresh' ? 'new per request' : 'kept alive'} | ${v.name} | ${s.median.toFixed(0)} | ${s.p99.toFixed(0)} | ${(s.median / base.median).toFixed(2)}x |`,
      );
    }
  }
  console.log(lines.join('\n'));

  pool.closeAll();
  storePool.closeAll();
  await freshAgent.close();
  await keepAgent.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  child.kill();
  process.exit(0);
}

void main();
