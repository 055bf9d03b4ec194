/**
 * The web transport's frame cost for a page of exchange summaries (what `listExchanges`
 * snapshot pages and event batches carry): the two-pass form (encodeWire copy, then
 * JSON.stringify; JSON.parse, then the decodeWire copy) against the one-pass form
 * (stringifyWire with a replacer; parseWire, which walks only frames holding `$bytes`).
 * Same process, alternating, CPU time per frame (median of rounds).
 *   node main/headless/bin/run-ts.mjs bench/wire-frame-bench.ts [--items 10000] [--rounds 15]
 */
import os from 'node:os';
import { decodeWire, encodeWire, parseWire, stringifyWire } from '../shared/api/wire-encoding';
import { summary } from '../test/renderer/fake-client';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ITEMS = arg('items', 10_000);
const ROUNDS = arg('rounds', 15);
const frame = {
  id: 7,
  result: { items: Array.from({ length: ITEMS }, (_, i) => summary(i + 1)), total: ITEMS },
};

function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const text = JSON.stringify(encodeWire(frame));
if (stringifyWire(frame) !== text) throw new Error('stringifyWire differs from the two-pass form');
const times = {
  encodeTwo: [] as number[],
  encodeOne: [] as number[],
  decodeTwo: [] as number[],
  decodeOne: [] as number[],
};
for (let r = 0; r < ROUNDS; r++) {
  times.encodeTwo.push(cpuMs(() => JSON.stringify(encodeWire(frame))));
  times.encodeOne.push(cpuMs(() => stringifyWire(frame)));
  times.decodeTwo.push(cpuMs(() => decodeWire(JSON.parse(text))));
  times.decodeOne.push(cpuMs(() => parseWire(text)));
}
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<
  keyof typeof times,
  number
>;
console.log(
  `wire frame bench: ${ITEMS.toLocaleString('en')} summaries (${(text.length / 1e6).toFixed(1)} MB of JSON), ` +
    `${ROUNDS} rounds, CPU ms per frame (median), load average ${os.loadavg()[0]!.toFixed(1)}`,
);
console.log(
  `| Server: encode the frame | ${m.encodeOne.toFixed(0)} ms (stringifyWire) | ${m.encodeTwo.toFixed(0)} ms (encodeWire + JSON.stringify) | ${(m.encodeOne / m.encodeTwo).toFixed(2)}× |`,
);
console.log(
  `| Page: decode the frame | ${m.decodeOne.toFixed(0)} ms (parseWire) | ${m.decodeTwo.toFixed(0)} ms (JSON.parse + decodeWire) | ${(m.decodeOne / m.decodeTwo).toFixed(2)}× |`,
);
