/**
 * Resident memory of the proxy process during one long download: a local origin streams
 * N MiB, a client reads it through (pausing now and then, so backpressure matters), and
 * the proxy — its own process, as in bench/proxy-bench.ts — is sampled every 50 ms
 * (/proc/PID/status VmRSS, and its own process.memoryUsage() breakdown at the end). Modes:
 * the raw relay, Wirelens recording, Wirelens not recording.
 *   node main/headless/bin/run-ts.mjs bench/proxy-download-memory.ts [MiB=1024] [--only relay|wirelens|wirelens-no-recording]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { sizedDownload } from '../test/support/origin-server';

const MiB = 1024 * 1024;
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const TOTAL = Number(args[0] ?? 1024) * MiB;
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
const RUN_TS = path.resolve('main/headless/bin/run-ts.mjs');

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function start(file: string, role?: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [RUN_TS, file, ...(role ? [role] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}

const origin = http.createServer(sizedDownload());
await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
const originUrl = `http://127.0.0.1:${(origin.address() as net.AddressInfo).port}`;

function download(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(
        `GET ${originUrl}/big?bytes=${bytes} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ),
    );
    let received = 0;
    let chunks = 0;
    s.on('data', (c: Buffer) => {
      received += c.length;
      if (++chunks % 200 === 0) {
        s.pause();
        setImmediate(() => s.resume());
      }
    });
    s.on('close', () => resolve(received));
    s.on('error', reject);
  });
}

const modes: Array<[string, string, string | undefined]> = [
  ['raw relay', 'bench/raw-relay.ts', undefined],
  ['Wirelens (recording)', 'bench/proxy-bench-servers.ts', 'wirelens'],
  ['Wirelens (no recording)', 'bench/proxy-bench-servers.ts', 'wirelens-no-recording'],
];
const lines = [
  `${TOTAL / MiB} MiB download, RSS of the proxy process (MiB): after a 16 MiB warm-up, peak during, growth`,
  '',
  '| mode | RSS after warm-up | peak RSS | growth | s |',
  '|---|---:|---:|---:|---:|',
];
for (const [name, file, role] of modes) {
  if (ONLY && ONLY !== (role ?? 'relay')) continue;
  const server = await start(file, role);
  const pid = server.child.pid!;
  await download(server.port, 16 * MiB);
  await new Promise((r) => setTimeout(r, 200));
  const base = rssMiB(pid);
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  const t0 = performance.now();
  const got = await download(server.port, TOTAL);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMiB(pid));
  if (got < TOTAL) throw new Error(`${name}: received ${got} of ${TOTAL} bytes`);
  lines.push(
    `| ${name} | ${base.toFixed(1)} | ${peak.toFixed(1)} | ${(peak - base).toFixed(1)} | ${seconds.toFixed(1)} |`,
  );
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}
origin.close();
process.stdout.write(lines.join('\n') + '\n');
process.exit(0);
