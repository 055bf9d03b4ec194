/**
 * `npm run bench`: the benchmarks behind docs/benchmarks.md, one after another, each in
 * its own process with its output as it comes. Each compares against a baseline measured
 * in the same run; the numbers worth keeping go into docs/benchmarks.md by hand.
 *   npm run bench                 every benchmark (about 3 minutes on 2 cores)
 *   npm run bench -- proxy store  only those whose name contains one of the words
 *   npm run bench -- --list       the names
 * Run it on a quiet machine: the proxy and TLS benchmarks share the CPUs with their load
 * generator, and anything else running shows in their ratios.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Bench {
  name: string;
  file: string;
  args: string[];
  nodeArgs?: string[];
}

const BENCHES: Bench[] = [
  { name: 'parser', file: 'parser-bench.ts', args: ['--quick'] },
  { name: 'proxy', file: 'proxy-bench.ts', args: ['--seconds', '5', '--built'] },
  { name: 'tls', file: 'tls-bench.ts', args: [] },
  { name: 'sender', file: 'sender-bench.ts', args: [] },
  {
    name: 'store-memory',
    file: 'store-memory-bench.ts',
    args: ['20000'],
    nodeArgs: ['--expose-gc'],
  },
  { name: 'store-record', file: 'store-record-bench.ts', args: [] },
  { name: 'export', file: 'export-bench.ts', args: [] },
  { name: 'web-bridge', file: 'web-bridge-bench.ts', args: ['--quick'] },
  { name: 'ui', file: 'ui-bench.ts', args: [] },
  { name: 'capture-open-ui', file: 'capture-open-ui-bench.ts', args: [] },
];

const RUN_TS = path.resolve('main/headless/bin/run-ts.mjs');
const words = process.argv.slice(2).filter((a) => !a.startsWith('--'));

if (process.argv.includes('--list')) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(16)} bench/${b.file} ${b.args.join(' ')}`);
  process.exit(0);
}

const chosen = BENCHES.filter((b) => words.length === 0 || words.some((w) => b.name.includes(w)));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${words.join(', ')}; see --list.`);
  process.exit(2);
}

const failed: string[] = [];
for (const b of chosen) {
  const command = ['node', ...(b.nodeArgs ?? []), RUN_TS, `bench/${b.file}`, ...b.args];
  console.log(`\n### ${b.name}: ${command.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, command.slice(1), { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (run.status !== 0) {
    failed.push(b.name);
    console.log(`\n${b.name} failed (exit ${run.status ?? run.signal}) after ${seconds} s`);
  } else console.log(`\n${b.name} done in ${seconds} s`);
}
if (failed.length > 0) {
  console.log(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
