/**
 * Inspector UI benchmark, in Debian Chromium against the real `wirelens web`:
 *  1. time until 100,000 stored exchanges are listed (first rows shown) and fully loaded
 *     and scrollable (a row in the middle and the last row rendered after scrolling),
 *     against the same page with an empty store (baseline, same run);
 *  2. the longest main-thread task (Long Tasks API) while 2,000 exchanges/s stream in
 *     for 30 s, against 10 s of the same page idle (baseline);
 *  3. the renderer's JS heap after both (after a forced GC).
 * The server is `wirelens web`'s own parts (InspectorService + web bridge) run in this
 * process, so that a bench producer (./ui-bench-producer.ts) can record exchanges into
 * its store through ExchangeRecorder — the proxy's interface — at the asked rate: the
 * proxy itself reaches only a few hundred exchanges/s on a loaded 2-core machine.
 * `--source proxy` sends the traffic through the proxy with autocannon instead.
 * `--before DIR` first measures a renderer built in DIR (e.g. an older commit) the same
 * way, as the same-run baseline. Prints a Markdown section and writes it (with --write)
 * into docs/benchmarks.md under "## Inspector UI". What it reads from the page (long
 * tasks, load times, trace, metrics, heap) is ./ui-bench-page.ts.
 *   node main/headless/bin/run-ts.mjs bench/ui-bench.ts [--exchanges 100000] [--rate 2000]
 *     [--seconds 30] [--source producer|proxy] [--before DIR] [--write]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { InspectorService } from '../main/core/inspector-service';
import { loadParts } from '../main/core/service-loader';
import { ensureRendererBuild, RENDERER_OUT } from '../main/headless/web-bridge/renderer-build';
import { startWebServer } from '../main/headless/web-bridge/web-server';
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/chromium';
import { BenchProducer } from './ui-bench-producer';
import {
  heapMiB,
  LONG_TASKS,
  longestTask,
  metrics,
  openAndScroll,
  startTaskTrace,
} from './ui-bench-page';

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  opts: object,
) => Promise<AutocannonResult>;

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const EXCHANGES = arg('exchanges', 100_000);
const RATE = arg('rate', 2000);
const SECONDS = arg('seconds', 30);
const IDLE_SECONDS = 10;
const argText = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SOURCE = argText('source') === 'proxy' ? 'proxy' : 'producer';

async function startOrigin(): Promise<{ port: number; close(): void }> {
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

async function load(
  proxyPort: number,
  originPort: number,
  opts: { amount?: number; overallRate?: number; duration?: number; connections: number },
): Promise<{ exchanges: number; seconds: number; errors: number }> {
  const started = performance.now();
  // autocannon rejects keys present with `undefined`: pass only what is set.
  const limits = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const result = await autocannon({
    url: `http://127.0.0.1:${proxyPort}`,
    ...limits,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path: `http://127.0.0.1:${originPort}/api/items?page=1`,
        headers: { host: `127.0.0.1:${originPort}` },
      },
    ],
  });
  return {
    exchanges: result.requests.total,
    seconds: (performance.now() - started) / 1000,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

interface Server {
  uiUrl: string;
  proxyPort: number;
  producer: BenchProducer;
  close(): Promise<void>;
}

/** `wirelens web` in this process: the same service and web bridge, over a fresh data folder. */
async function startServer(rendererDir: string): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wirelens-ui-bench-'));
  const { parts } = await loadParts(dataDir);
  const service = await InspectorService.create({
    dataDir,
    parts,
    listen: { host: '127.0.0.1', port: 0 },
  });
  const web = await startWebServer({ service, rendererDir, host: '127.0.0.1', port: 0 });
  return {
    uiUrl: web.url,
    proxyPort: (await service.getProxyStatus()).address!.port,
    producer: new BenchProducer(parts.store!),
    async close() {
      await web.close();
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface Run {
  empty: { ready: number };
  full: { ready: number; full: number };
  fill: { exchanges: number; seconds: number };
  idle: { max: number; count: number };
  during: { max: number; count: number };
  taskCpu: { maxCpu: number; over50: number };
  stream: { exchanges: number; seconds: number; cpuMs?: number };
  rendererCpuPerSecond: number;
  rendererBusyPerSecond: number;
  nodes: number;
  heapAfterLoad: number;
  heapAfterStream: number;
  shown: string;
}

async function measure(
  browser: Browser,
  rendererDir: string,
  origin: { port: number },
): Promise<Run> {
  const server = await startServer(rendererDir);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.addInitScript(LONG_TASKS);
    const empty = await openAndScroll(page, server.uiUrl, 0);
    console.error(`empty store: ready in ${empty.ready} ms`);
    await page.goto('about:blank');

    console.error(`filling the store with ${EXCHANGES} exchanges (${SOURCE})…`);
    const fill =
      SOURCE === 'proxy'
        ? await load(server.proxyPort, origin.port, { amount: EXCHANGES, connections: 32 })
        : await server.producer.fill(EXCHANGES);
    console.error(`filled: ${fill.exchanges} in ${fill.seconds.toFixed(1)} s`);

    const full = await openAndScroll(page, server.uiUrl, EXCHANGES);
    console.error(`${EXCHANGES}: first rows ${full.ready} ms, all loaded+scrolled ${full.full} ms`);
    const heapAfterLoad = await heapMiB(page);

    // Follow newest: sit at the bottom while the stream comes in.
    await page.evaluate(
      `(() => { const g = document.querySelector('[role="grid"]'); g.scrollTop = g.scrollHeight; })()`,
    );
    const idleStart = await page.evaluate<number>('performance.now()');
    await page.waitForTimeout(IDLE_SECONDS * 1000);
    const idle = await longestTask(page, idleStart);

    const streamStart = await page.evaluate<number>('performance.now()');
    // One session for both readings: the counters are per session.
    const perf = await page.context().newCDPSession(page);
    await perf.send('Performance.enable');
    const before = await metrics(perf);
    const stopTrace = await startTaskTrace(perf);
    const stream =
      SOURCE === 'proxy'
        ? await load(server.proxyPort, origin.port, {
            overallRate: RATE,
            duration: SECONDS,
            connections: 20,
          })
        : await server.producer.stream(RATE, SECONDS);
    // Let the last batches arrive and render.
    await page.waitForTimeout(2000);
    const during = await longestTask(page, streamStart);
    const taskCpu = await stopTrace();
    const after = await metrics(perf);
    await perf.detach();
    const shown = await page.evaluate<string>(
      `document.querySelector('[aria-label="Exchange count"]')?.textContent ?? ''`,
    );
    const heapAfterStream = await heapMiB(page);
    console.error(
      `stream: ${stream.exchanges} in ${stream.seconds.toFixed(1)} s; longest task ${during.max} ms (${during.count})`,
    );
    return {
      empty,
      full,
      fill,
      idle,
      during,
      taskCpu,
      stream,
      rendererCpuPerSecond: ((after.thread - before.thread) / stream.seconds) * 1000,
      rendererBusyPerSecond: ((after.tasks - before.tasks) / stream.seconds) * 1000,
      nodes: after.nodes,
      heapAfterLoad,
      heapAfterStream,
      shown: shown.trim(),
    };
  } finally {
    await page.close();
    await server.close();
  }
}

function rows(label: string, r: Run): string[] {
  const n = EXCHANGES.toLocaleString('en');
  const rate = (r.stream.exchanges / r.stream.seconds).toFixed(0);
  return [
    `| ${label}: page load to first rows shown, ${n} stored | ${r.full.ready} ms | ${r.empty.ready} ms (empty store) | ${(r.full.ready / r.empty.ready).toFixed(2)}× |`,
    `| ${label}: page load until all ${n} listed and scrolled to middle and end | ${r.full.full} ms | ${r.empty.ready} ms (empty store) | ${(r.full.full / r.empty.ready).toFixed(2)}× |`,
    `| ${label}: longest main-thread task while streaming (${rate} exchanges/s achieved of ${RATE} asked, ${SECONDS} s) | ${r.during.max.toFixed(0)} ms (${r.during.count} tasks > 50 ms) | ${r.idle.max.toFixed(0)} ms (${IDLE_SECONDS} s idle, ${r.idle.count} tasks > 50 ms) | — |`,
    `| ${label}: CPU time of the renderer's longest-running task while streaming (trace) | ${r.taskCpu.maxCpu.toFixed(0)} ms (${r.taskCpu.over50} tasks > 50 ms CPU) | — | — |`,
    `| ${label}: renderer main-thread CPU per second of streaming (task wall time per second) | ${r.rendererCpuPerSecond.toFixed(0)} ms (${r.rendererBusyPerSecond.toFixed(0)} ms) | — | — |`,
    `| ${label}: DOM nodes after the stream (virtualized list) | ${r.nodes} | — | — |`,
    `| ${label}: renderer JS heap after loading ${n} / after the stream too (${r.shown}) | ${r.heapAfterLoad.toFixed(0)} MB / ${r.heapAfterStream.toFixed(0)} MB | — | — |`,
  ];
}

async function main(): Promise<void> {
  const origin = await startOrigin();
  await ensureRendererBuild((line) => console.error(line));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const os = await import('node:os');
  const loadStart = os.loadavg()[0]!.toFixed(1);
  const runs: Array<[string, Run]> = [];
  try {
    const beforeDir = argText('before');
    if (beforeDir) runs.push(['before', await measure(browser, beforeDir, origin)]);
    runs.push([beforeDir ? 'after' : 'now', await measure(browser, RENDERER_OUT, origin)]);
  } finally {
    await browser.close();
    origin.close();
  }
  const loadEnd = os.loadavg()[0]!.toFixed(1);
  const last = runs[runs.length - 1]![1];
  const lines = [
    '## Inspector UI',
    '',
    `Measured by \`bench/ui-bench.ts\` (${new Date().toISOString().slice(0, 10)}, Debian Chromium headless, ${os.cpus().length} CPU cores shared with other work, 1-min load average ${loadStart} at the start and ${loadEnd} at the end; ` +
      `\`wirelens web\`'s service and web bridge in the bench process; traffic ${SOURCE === 'proxy' ? 'through its proxy with autocannon to a local origin' : "recorded into its store by the bench producer through ExchangeRecorder (the proxy's interface), so it reaches the UI by the real store → service → WebSocket path"}). ` +
      'Targets: listed in < 3 s, no task > 100 ms, heap < 300 MB.',
    '',
    '| Measure | Result | Baseline (same run) | Ratio |',
    '| --- | --- | --- | --- |',
    ...runs.flatMap(([label, r]) => rows(label, r)),
    '',
    `Store fill: ${runs.map(([l, r]) => `${l} ${r.fill.exchanges.toLocaleString('en')} in ${r.fill.seconds.toFixed(1)} s`).join(', ')}. ` +
      `Stream: ${runs.map(([l, r]) => `${l} ${r.stream.exchanges.toLocaleString('en')} exchanges in ${r.stream.seconds.toFixed(1)} s${r.stream.cpuMs !== undefined ? ` (server process CPU ${(r.stream.cpuMs / r.stream.seconds / 10).toFixed(0)} % of a core)` : ''}`).join(', ')}. ` +
      `Renderer task wall time was ${(last.rendererBusyPerSecond / Math.max(last.rendererCpuPerSecond, 1)).toFixed(1)}× its CPU time while streaming: on a loaded machine a long task is often a short one that waited for a core.`,
    '',
  ];
  const section = lines.join('\n');
  console.log(section);
  // Trial runs (smaller numbers) must not overwrite the published section.
  if (process.argv.includes('--write')) writeSection(section);
}

/** Replaces (or appends) only this benchmark's section: other sections belong to others. */
function writeSection(section: string): void {
  const file = 'docs/benchmarks.md';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf('## Inspector UI');
  let next: string;
  if (start === -1) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf('\n## ', start + 3);
    next = current.slice(0, start) + section + (after === -1 ? '' : current.slice(after + 1));
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

await main();
