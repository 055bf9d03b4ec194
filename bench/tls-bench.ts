/**
 * HTTPS interception benchmark, one run, against one local HTTPS origin (1 KiB bodies):
 *   direct     — TLS straight to the origin (the baseline)
 *   tunnel     — through the proxy as a blind CONNECT tunnel (TLS end to end)
 *   intercept  — through the proxy with interception (two TLS legs, recorded in a store)
 * Tests: 1,000 sequential requests on one connection; 200 fresh TLS connections (one
 * request each, no session resumption); 20 new SNI names (ms per new host name, against
 * fresh connections to an already cached name, interleaved). Modes alternate in rounds so
 * that load from other processes on this shared machine hits all of them alike.
 * Prints a Markdown table for docs/benchmarks.md, section "HTTPS interception".
 *   node main/headless/bin/run-ts.mjs bench/tls-bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { generateKeyPairSync } from 'node:crypto';
import { loadOrCreateCa } from '../main/core/tls/ca-store';
import { LeafCertificates } from '../main/core/tls/leaf-certificates';
import { EC_P256, x509 } from '../main/core/tls/x509-setup';

const RUN_TS = path.resolve('main/headless/bin/run-ts.mjs');
const SERVERS = path.resolve('bench/tls-bench-servers.ts');
const SEQUENTIAL = 1000;
const FRESH = 200;
const NEW_NAMES = 20;
const ROUNDS = 5;

type Mode = 'direct' | 'tunnel' | 'intercept';
const MODES: Mode[] = ['direct', 'tunnel', 'intercept'];

interface Server {
  child: ChildProcess;
  info: { port: number; plainPort?: number; caPath?: string };
}

const started: Server[] = [];

function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  nodeArgs: string[] = [],
): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, RUN_TS, SERVERS, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      const server = { child, info: JSON.parse(out.split('\n')[0]) };
      started.push(server);
      resolve(server);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** One keep-alive HTTP/1.1 connection; `get()` resolves when the whole response arrived. */
class Http1Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: (() => void) | null = null;

  private reject: (error: Error) => void = () => undefined;

  constructor(readonly socket: net.Socket) {
    socket.on('error', (error) => this.reject(error));
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.check();
    });
  }

  get(host: string, target = '/1k'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.reject = reject;
      this.socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    });
  }

  private check(): void {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.waiting) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (this.buffer.length < end) return;
    if (!head.startsWith('HTTP/1.1 200')) throw new Error(`unexpected response: ${head}`);
    this.buffer = this.buffer.subarray(end);
    const done = this.waiting;
    this.waiting = null;
    done();
  }
}

interface Setup {
  originPort: number;
  proxyPort: Record<Exclude<Mode, 'direct'>, number>;
  ca: Record<Mode, string>;
}

/** A raw TCP stream to the origin: direct, or through the proxy's CONNECT. */
function openStream(setup: Setup, mode: Mode): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (mode === 'direct') {
      const socket = net.connect(setup.originPort, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
      return;
    }
    const socket = net.connect(setup.proxyPort[mode], '127.0.0.1', () =>
      socket.write(
        `CONNECT 127.0.0.1:${setup.originPort} HTTP/1.1\r\nHost: 127.0.0.1:${setup.originPort}\r\n\r\n`,
      ),
    );
    socket.setNoDelay(true);
    socket.once('error', reject);
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.removeListener('data', onData);
      if (head.startsWith('HTTP/1.1 200')) resolve(socket);
      else reject(new Error(`CONNECT refused: ${head}`));
    };
    socket.on('data', onData);
  });
}

async function openConnection(
  setup: Setup,
  mode: Mode,
  servername = 'bench.test',
): Promise<Http1Connection> {
  const stream = await openStream(setup, mode);
  const socket = tls.connect({
    socket: stream,
    servername,
    ca: setup.ca[mode],
    ALPNProtocols: ['http/1.1'],
  });
  socket.setNoDelay?.(true);
  await new Promise<void>((resolve, reject) =>
    socket.once('secureConnect', resolve).once('error', reject),
  );
  return new Http1Connection(socket);
}

const now = (): number => performance.now();

function tcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

async function sequential(
  setup: Setup,
  mode: Mode,
  count: number,
  conn: Http1Connection,
): Promise<number> {
  const start = now();
  for (let i = 0; i < count; i++) await conn.get('bench.test');
  return now() - start;
}

async function freshOnce(setup: Setup, mode: Mode, servername?: string): Promise<number> {
  const start = now();
  const conn = await openConnection(setup, mode, servername);
  await conn.get(servername ?? 'bench.test');
  const took = now() - start;
  conn.socket.destroy();
  return took;
}

/**
 * CPU cost of one new host name in-process (robust to load from other processes): the
 * leaf as Wirelens issues it (DER assembled directly + TLS context), against building the
 * same leaf through @peculiar/x509's generator, the baseline it replaced.
 */
async function leafCpuCost(dir: string): Promise<{ ours: number; library: number }> {
  const ca = await loadOrCreateCa(path.join(dir, 'cpu-ca'));
  const leaves = await LeafCertificates.create(ca);
  const publicKey = await x509.PublicKey.create(
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'der',
    }),
  );
  const viaLibrary = (host: string) =>
    x509.X509CertificateGenerator.create({
      subject: [{ CN: [host] }],
      issuer: ca.certificate.subject,
      publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: EC_P256,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }])],
    });
  const cpuMs = async (fn: () => Promise<unknown>): Promise<number> => {
    const start = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  for (let i = 0; i < 20; i++) {
    await leaves.leafFor(`warm${i}.cpu.test`);
    await viaLibrary(`warm${i}.cpu.test`);
  }
  const ours: number[] = [];
  const library: number[] = [];
  for (let i = 0; i < NEW_NAMES * 5; i++) {
    ours.push(await cpuMs(() => leaves.leafFor(`h${i}.cpu.test`)));
    library.push(await cpuMs(() => viaLibrary(`h${i}.cpu.test`)));
  }
  return { ours: median(ours), library: median(library) };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-tls-bench-'));
  try {
    await run(dir);
  } finally {
    // Also when a server failed to start: never leave children behind.
    await Promise.all(started.map(stopServer));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(dir: string): Promise<void> {
  const origin = await startServer(['origin', dir]);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'test-ca.pem') };
  const tunnel = await startServer(['proxy', dir], env);
  // TLS_BENCH_PROFILE=DIR: CPU profile of the intercepting proxy (node --cpu-prof) into DIR.
  const profile = process.env.TLS_BENCH_PROFILE;
  const intercept = await startServer(
    ['proxy', dir, '--intercept'],
    env,
    profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  );
  const testCa = readFileSync(path.join(dir, 'test-ca.pem'), 'utf8');
  const setup: Setup = {
    originPort: origin.info.port,
    proxyPort: { tunnel: tunnel.info.port, intercept: intercept.info.port },
    ca: { direct: testCa, tunnel: testCa, intercept: readFileSync(intercept.info.caPath!, 'utf8') },
  };
  const seqConns = {} as Record<Mode, Http1Connection>;
  try {
    // Warm-up: JIT, the leaf for bench.test, the proxy's upstream pool.
    for (const mode of MODES) {
      seqConns[mode] = await openConnection(setup, mode);
      await sequential(setup, mode, 100, seqConns[mode]);
      for (let i = 0; i < 10; i++) await freshOnce(setup, mode);
    }
    const seq: Record<Mode, number> = { direct: 0, tunnel: 0, intercept: 0 };
    const fresh: Record<Mode, number> = { direct: 0, tunnel: 0, intercept: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES)
        seq[mode] += await sequential(setup, mode, SEQUENTIAL / ROUNDS, seqConns[mode]);
      for (const mode of MODES) {
        for (let i = 0; i < FRESH / ROUNDS; i++) fresh[mode] += await freshOnce(setup, mode);
      }
    }

    // Reference: the proxy's plain-HTTP path (no TLS anywhere), sequential on one connection.
    const plainAuthority = `127.0.0.1:${origin.info.plainPort}`;
    const plainDirect = new Http1Connection(await tcp(origin.info.plainPort!));
    const plainProxied = new Http1Connection(await tcp(tunnel.info.port));
    const plain = { direct: 0, proxied: 0 };
    for (let i = 0; i < 100; i++) {
      await plainDirect.get(plainAuthority);
      await plainProxied.get(plainAuthority, `http://${plainAuthority}/1k`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      let start = now();
      for (let i = 0; i < SEQUENTIAL / ROUNDS; i++) await plainDirect.get(plainAuthority);
      plain.direct += now() - start;
      start = now();
      for (let i = 0; i < SEQUENTIAL / ROUNDS; i++) {
        await plainProxied.get(plainAuthority, `http://${plainAuthority}/1k`);
      }
      plain.proxied += now() - start;
    }
    plainDirect.socket.destroy();
    plainProxied.socket.destroy();

    // New SNI names vs the cached name, interleaved, through the intercepting proxy.
    const tag = Math.random().toString(36).slice(2, 8);
    const newName: number[] = [];
    const cachedName: number[] = [];
    for (let i = 0; i < NEW_NAMES; i++) {
      cachedName.push(await freshOnce(setup, 'intercept', 'bench.test'));
      newName.push(await freshOnce(setup, 'intercept', `n${i}-${tag}.bench.test`));
    }

    const cpu = await leafCpuCost(dir);

    const row = (label: string, totals: Record<Mode, number>, count: number): string => {
      const per = (mode: Mode): string => (totals[mode] / count).toFixed(3);
      const ratio = (mode: Mode): string => (totals[mode] / totals.direct).toFixed(2);
      return `| ${label} | ${per('direct')} | ${per('tunnel')} (${ratio('tunnel')}x) | ${per('intercept')} (${ratio('intercept')}x) |`;
    };
    const lines = [
      `HTTPS interception benchmark — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
      '',
      '| test | direct ms/op | blind tunnel ms/op (ratio) | interception ms/op (ratio) |',
      '| --- | --- | --- | --- |',
      row(`${SEQUENTIAL} sequential requests, one connection`, seq, SEQUENTIAL),
      row(`${FRESH} fresh TLS connections, 1 request each`, fresh, FRESH),
      `| reference: ${SEQUENTIAL} sequential plain-HTTP requests, direct vs through the proxy | ${(plain.direct / SEQUENTIAL).toFixed(3)} | — | ${(plain.proxied / SEQUENTIAL).toFixed(3)} (${(plain.proxied / plain.direct).toFixed(2)}x, no TLS) |`,
      '',
      `New SNI host name (interception, ${NEW_NAMES} names, fresh connection each): ` +
        `mean ${mean(newName).toFixed(2)} ms vs ${mean(cachedName).toFixed(2)} ms for a cached name ` +
        `→ **${(mean(newName) - mean(cachedName)).toFixed(2)} ms extra per new host name** ` +
        `(median ${(median(newName) - median(cachedName)).toFixed(2)} ms).`,
      '',
      `CPU per new host name, in-process (median of ${NEW_NAMES * 5}): ${cpu.ours.toFixed(2)} ms ` +
        `(leaf DER + signature + TLS context) vs ${cpu.library.toFixed(2)} ms to build the ` +
        `certificate alone with @peculiar/x509 (${(cpu.library / cpu.ours).toFixed(1)}x).`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    for (const mode of MODES) seqConns[mode]?.socket.destroy();
  }
}

await main();
