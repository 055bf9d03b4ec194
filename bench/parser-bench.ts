/**
 * Parser micro-benchmark: Wirelens' HttpParser vs Node's llhttp on the same bytes, in the
 * same process, alternating runs; plus both behind a loopback socket (requests).
 *   node main/headless/bin/run-ts.mjs bench/parser-bench.ts [--quick]
 * Prints a Markdown report (paste into docs/benchmarks.md, section "HTTP parser").
 */
import os from 'node:os';
import { CORPORA, corpusBytes } from './parser-corpus';
import { runLlhttp, runNodeServer, runWirelens, runWirelensServer } from './parser-runners';

const quick = process.argv.includes('--quick');
const TARGET_BYTES = quick ? 512 * 1024 : 4 * 1024 * 1024;
const RUNS = quick ? 3 : 9;
const CHUNK_SIZES = [65536, 1460];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function split(bytes: Uint8Array, size: number): { u8: Uint8Array[]; buf: Buffer[] } {
  const u8: Uint8Array[] = [];
  const buf: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const v = bytes.subarray(i, i + size);
    u8.push(v);
    buf.push(Buffer.from(v.buffer, v.byteOffset, v.length));
  }
  return { u8, buf };
}

/**
 * CPU milliseconds (user + system) of a synchronous run. On a shared, loaded machine wall
 * time mostly measures the scheduler; CPU time of single-threaded work does not.
 */
function time(fn: () => unknown): number {
  const t = process.cpuUsage();
  fn();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const lines: string[] = [];
  lines.push(
    `Machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, ${os.platform()}`,
  );
  lines.push(
    `Stream per corpus: ~${TARGET_BYTES / 1024 / 1024} MiB, median of ${RUNS} alternating runs; ` +
      'CPU time for the in-process table, wall time for the socket table. Load average: ' +
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ') +
      '.',
  );
  lines.push('');
  lines.push(
    '| corpus | chunk | Wirelens MB/s | llhttp MB/s | Wirelens msgs/s | llhttp msgs/s | ratio (W/llhttp) |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const c of CORPORA) {
    const rounds = Math.ceil(TARGET_BYTES / c.round.length);
    const bytes = corpusBytes(c, rounds);
    const messages = rounds * c.messagesPerRound;
    for (const size of CHUNK_SIZES) {
      const { u8, buf } = split(bytes, size);
      // Both must see every message, or the comparison means nothing.
      const a = runWirelens(c.kind, u8);
      const b = runLlhttp(c.kind, buf);
      if (a.messages !== messages || b.messages !== messages || a.bodyBytes !== b.bodyBytes) {
        throw new Error(`${c.name}: parsers disagree (${JSON.stringify({ a, b, messages })})`);
      }
      for (let w = 0; w < 3; w++) {
        runWirelens(c.kind, u8);
        runLlhttp(c.kind, buf);
      }
      const tw: number[] = [];
      const tl: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        tw.push(time(() => runWirelens(c.kind, u8)));
        tl.push(time(() => runLlhttp(c.kind, buf)));
      }
      const mw = median(tw);
      const ml = median(tl);
      const mb = bytes.length / 1e6;
      lines.push(
        `| ${c.name} | ${size} | ${fmt(mb / (mw / 1000))} | ${fmt(mb / (ml / 1000))} | ` +
          `${fmt(messages / (mw / 1000))} | ${fmt(messages / (ml / 1000))} | **${fmt(ml / mw, 2)}** |`,
      );
    }
  }

  lines.push('');
  lines.push(
    'Behind a loopback socket (client writes the pipelined stream, server answers 204 each):',
  );
  lines.push('');
  lines.push(
    '| corpus | Wirelens (net + HttpParser) req/s | Node http.createServer req/s | ratio |',
  );
  lines.push('|---|---:|---:|---:|');
  for (const c of CORPORA.filter((x) => x.kind === 'request')) {
    const rounds = Math.ceil(TARGET_BYTES / 4 / c.round.length);
    const stream = Buffer.from(corpusBytes(c, rounds));
    const messages = rounds * c.messagesPerRound;
    await runWirelensServer(stream, messages);
    await runNodeServer(stream, messages);
    const tw: number[] = [];
    const tn: number[] = [];
    for (let r = 0; r < Math.max(3, Math.floor(RUNS / 2)); r++) {
      tw.push(await runWirelensServer(stream, messages));
      tn.push(await runNodeServer(stream, messages));
    }
    const mw = median(tw);
    const mn = median(tn);
    lines.push(
      `| ${c.name} | ${fmt(messages / (mw / 1000))} | ${fmt(messages / (mn / 1000))} | **${fmt(mn / mw, 2)}** |`,
    );
  }
  console.log(lines.join('\n'));
}

await main();
