/**
 * Capture proxy benchmark, one run: the same local origin reached (1) directly, (2)
 * through bench/raw-relay.ts (the physical limit of a Node proxy), (3) through Wirelens
 * recording every exchange; plus (4) Wirelens with recording off, to tell the proxy's own
 * cost from the store's. Load from `wrk` (Debian) with a Lua script sending
 * absolute-form requests, as a browser does to a proxy. Each server runs in its own
 * process; peak RSS is its VmHWM, CPU per request its utime + stime during the load
 * (/proc/PID/stat) divided by the requests served. Prints a Markdown table (docs/benchmarks.md,
 * section "Capture proxy").
 *   node main/headless/bin/run-ts.mjs bench/proxy-bench.ts [--seconds 5] [--built] [--pin]
 *     [--rounds N] [--only 1k|1m] [--profile DIR]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RUN_TS = path.resolve('main/headless/bin/run-ts.mjs');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;
/** `--profile DIR`: CPU-profile the Wirelens processes (for finding hot spots). */
const profileArg = process.argv.indexOf('--profile');
const PROFILE_DIR = profileArg > 0 ? process.argv[profileArg + 1] : undefined;
/**
 * `--built`: run the Wirelens servers from an esbuild bundle (plain JS, as in the Electron
 * build) instead of through tsx (as `wirelens` headless runs), to see what tsx costs.
 */
const BUILT = process.argv.includes('--built');
/** `--only 1k|1m`: run one case. */
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
/**
 * `--pin`: the server under test (relay or Wirelens) on CPU 0, the origin and wrk on the
 * other CPUs (`taskset`). On a 2-CPU machine the proxy then neither competes with its own
 * load nor borrows idle time from it: its requests per second are what one core gives,
 * and runs vary far less.
 */
const PIN = process.argv.includes('--pin') && os.cpus().length >= 2;
const LOAD_CPUS = `1-${os.cpus().length - 1}`;
/** `--rounds N`: every mode N times, in turn; the ratios of each round and their median. */
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Math.max(1, Number(process.argv[roundsArg + 1])) : 1;

/** `command args` run on `cpus` when pinning (taskset execs it: same pid). */
function onCpus(cpus: string, command: string, args: string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}

interface Server {
  child: ChildProcess;
  port: number;
}

/** bench/proxy-bench-servers.ts bundled into `tmp` (for `--built`). */
async function bundleServers(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(tmp, 'proxy-bench-servers.mjs');
  await build({
    entryPoints: ['bench/proxy-bench-servers.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
let bundled: string | null = null;

async function startServer(
  file: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<Server> {
  if (BUILT && file === 'bench/proxy-bench-servers.ts') bundled ??= await bundleServers();
  const script = bundled && file === 'bench/proxy-bench-servers.ts' ? [bundled] : [RUN_TS, file];
  const cpus = args[0] === 'origin' ? LOAD_CPUS : '0';
  const [command, argv] = onCpus(cpus, process.execPath, [...nodeArgs, ...script, ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return await new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, port: JSON.parse(line).port });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
}

/** Peak resident set size of a process in MiB (Linux). */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * CPU time (user + system) used so far, in ms (Linux, 100 ticks per second): of a whole
 * process (its thread pool, GC threads… included), or with `thread` of its main thread
 * (the event loop: what one proxy can do at most is bounded by it).
 */
function cpuMs(pid: number, thread = false): number {
  const stat = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Idle and total CPU ticks of the machine so far (/proc/stat): was the load CPU-bound? */
function machineTicks(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const n = fields.map(Number);
  return { idle: n[3] + n[4], total: n.reduce((a, b) => a + b, 0) };
}

interface WrkResult {
  requests: number;
  bytes: number;
  durationUs: number;
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelens-wrk-'));

function wrk(connectTo: number, requestPath: string, connections: number): WrkResult {
  const script = path.join(tmp, 'bench.lua');
  writeFileSync(
    script,
    `wrk.path = "${requestPath}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"bytes":%d,"durationUs":%d,"errors":%d,"non2xx":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.bytes, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`,
  );
  const [command, argv] = onCpus(LOAD_CPUS, 'wrk', [
    '-t2',
    `-c${connections}`,
    `-d${SECONDS}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    `http://127.0.0.1:${connectTo}/`,
  ]);
  const r = spawnSync(command, argv, { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`wrk failed: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as WrkResult;
}

interface Row {
  mode: string;
  result: WrkResult;
  rssMiB: number | null;
  /** CPU time the server process spent per request, in ms (null: not measured). */
  cpuPerRequest: number | null;
  /** The same for its main thread (the event loop). */
  loopCpuPerRequest: number | null;
  /** Share of the machine's CPU left idle during the load. */
  idle: number;
}

/** Load through `server` (a child process): its peak RSS and CPU per request. */
function measure(mode: string, server: Server, target: string, connections: number): Row {
  const pid = server.child.pid!;
  const cpu0 = cpuMs(pid);
  const loop0 = cpuMs(pid, true);
  const ticks0 = machineTicks();
  const result = wrk(server.port, target, connections);
  const ticks = machineTicks();
  const requests = Math.max(1, result.requests);
  return {
    mode,
    result,
    rssMiB: peakRssMiB(pid),
    cpuPerRequest: (cpuMs(pid) - cpu0) / requests,
    loopCpuPerRequest: (cpuMs(pid, true) - loop0) / requests,
    idle: (ticks.idle - ticks0.idle) / Math.max(1, ticks.total - ticks0.total),
  };
}

/** A load straight at the origin: only the machine's idle share is measured. */
function measureDirect(resource: string, originPort: number, connections: number): Row {
  const ticks0 = machineTicks();
  const result = wrk(originPort, resource, connections);
  const ticks = machineTicks();
  const idle = (ticks.idle - ticks0.idle) / Math.max(1, ticks.total - ticks0.total);
  return {
    mode: 'direct',
    result,
    rssMiB: null,
    cpuPerRequest: null,
    loopCpuPerRequest: null,
    idle,
  };
}

async function runCase(originPort: number, resource: string, connections: number): Promise<Row[]> {
  const absolute = `http://127.0.0.1:${originPort}${resource}`;
  const rows: Row[] = [measureDirect(resource, originPort, connections)];
  const relay = await startServer('bench/raw-relay.ts');
  rows.push(measure('raw relay', relay, absolute, connections));
  await stopServer(relay);
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const wl = await startServer('bench/proxy-bench-servers.ts', ['wirelens'], profile);
  rows.push(measure('Wirelens (recording)', wl, absolute, connections));
  await stopServer(wl);
  const bare = await startServer(
    'bench/proxy-bench-servers.ts',
    ['wirelens-no-recording'],
    profile,
  );
  rows.push(measure('Wirelens (no recording)', bare, absolute, connections));
  await stopServer(bare);
  return rows;
}

/** Every mode N times in turn (see --rounds). */
async function runRounds(
  originPort: number,
  resource: string,
  connections: number,
): Promise<Row[][]> {
  const rounds: Row[][] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await runCase(originPort, resource, connections));
  return rounds;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Each mode's ratio to the relay in every round, and the median (req/s for 1 KiB, MB/s for 1 MiB). */
function roundsSummary(rounds: Row[][], unit: 'req/s' | 'MB/s'): string {
  if (rounds.length < 2) return '';
  const rate = (r: WrkResult): number => (unit === 'req/s' ? r.requests : r.bytes) / r.durationUs;
  const lines = [`Ratio to the raw relay's ${unit}, round by round (median last):`, ''];
  for (let m = 2; m < rounds[0].length; m++) {
    const ratios = rounds.map((rows) => rate(rows[m].result) / rate(rows[1].result));
    lines.push(
      `- ${rounds[0][m].mode}: ${ratios.map((x) => fmt(x, 2)).join(', ')}; median **${fmt(median(ratios), 2)}x**`,
    );
  }
  return lines.join('\n') + '\n';
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function table(title: string, rows: Row[]): string {
  const base = rows[0].result;
  const rps = (r: WrkResult): number => r.requests / (r.durationUs / 1e6);
  const mbs = (r: WrkResult): number => r.bytes / (r.durationUs / 1e6) / 1e6;
  const relay = rows[1].result;
  const lines = [
    `**${title}**`,
    '',
    '| mode | req/s | MB/s | p50 ms | p99 ms | errors | peak RSS MiB | CPU ms/req | of it event loop | machine idle | req/s vs direct | MB/s vs direct | req/s vs relay | MB/s vs relay |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const ms = (x: number | null): string => (x === null ? '–' : fmt(x, 3));
  for (const { mode, result: r, rssMiB, cpuPerRequest, loopCpuPerRequest, idle } of rows) {
    lines.push(
      `| ${mode} | ${fmt(rps(r))} | ${fmt(mbs(r), 1)} | ${fmt(r.p50 / 1000, 2)} | ${fmt(r.p99 / 1000, 2)} | ${r.errors + r.non2xx} | ${rssMiB === null ? '–' : fmt(rssMiB, 0)} | ${ms(cpuPerRequest)} | ${ms(loopCpuPerRequest)} | ${fmt(idle * 100)} % | ${fmt(rps(r) / rps(base), 2)}x | ${fmt(mbs(r) / mbs(base), 2)}x | ${fmt(rps(r) / rps(relay), 2)}x | ${fmt(mbs(r) / mbs(relay), 2)}x |`,
    );
  }
  return lines.join('\n');
}

/**
 * What writing to a new file costs on this machine, in the same run: system + user CPU
 * per MiB for 512 MiB written in 1 MiB pieces into a new file beside the stores, then
 * again right after deleting it (pages just freed are reused). Recording a 1 MiB body
 * pays at least the first figure; on a VM that hands freed memory back to its host,
 * memory not touched for a few seconds is slow to touch again, and the two differ.
 */
function diskWriteCost(): { fresh: number; reused: number } {
  const MIB = 1 << 20;
  const piece = Buffer.alloc(MIB, 7);
  const once = (): number => {
    const file = path.join(tmp, 'disk-baseline.bin');
    const fd = openSync(file, 'w');
    const c0 = process.cpuUsage();
    for (let i = 0; i < 512; i++) writeSync(fd, piece, 0, MIB, i * MIB);
    const c = process.cpuUsage(c0);
    closeSync(fd);
    rmSync(file);
    return (c.user + c.system) / 1000 / 512;
  };
  return { fresh: once(), reused: once() };
}

async function main(): Promise<void> {
  const origin = await startServer('bench/proxy-bench-servers.ts', ['origin']);
  try {
    // First, before any store has freed memory this run (see diskWriteCost).
    const disk = ONLY === '1k' ? null : diskWriteCost();
    const small = ONLY === '1m' ? null : await runRounds(origin.port, '/1k', 50);
    const large = ONLY === '1k' ? null : await runRounds(origin.port, '/1m', 10);
    const cpus = os.cpus();
    process.stdout.write(
      [
        `Run: ${new Date().toISOString()}, Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}, wrk -t2, ${SECONDS} s per mode, Wirelens run ${
          BUILT ? 'from an esbuild bundle' : 'through tsx'
        }${PIN ? `, pinned: server under test on CPU 0, origin and wrk on CPUs ${LOAD_CPUS}` : ''}${
          ROUNDS > 1 ? `, ${ROUNDS} rounds (the tables show the first)` : ''
        }.`,
        '',
        small ? table('1 KiB responses, 50 keep-alive connections', small[0]) : '',
        '',
        small ? roundsSummary(small, 'req/s') : '',
        large ? table('1 MiB responses, 10 keep-alive connections', large[0]) : '',
        '',
        large ? roundsSummary(large, 'MB/s') : '',
        disk
          ? `Writing to a new file here (512 MiB in 1 MiB pieces, same run): ${fmt(disk.fresh, 2)} ms CPU per MiB; ` +
            `again right after deleting it: ${fmt(disk.reused, 2)} ms per MiB.\n`
          : '',
      ].join('\n'),
    );
  } finally {
    await stopServer(origin);
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
