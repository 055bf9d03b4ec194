/**
 * Runs every case of test/fixtures/http/*.txt (format: ./fixture-format.ts) through the
 * parser fed whole, one byte at a time, in seeded random splits, and with a pause on
 * every event; each feeding must produce exactly the expected event log.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseMode } from '../../../shared/http/parser-types';
import { parseFixtureFile } from './fixture-format';
import { runToLog, type Feed } from './event-log';

const dir = join(__dirname, '../../fixtures/http');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

/** mulberry32: small, seeded, good enough to pick split points. */
function randomSizes(seed: number, count: number, max: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(1 + (((t ^ (t >>> 14)) >>> 0) % max));
  }
  return out;
}

const feeds: Array<[string, Feed]> = [
  ['whole', { sizes: [] }],
  ['byte at a time', { sizes: [1] }],
  ['random splits (seed 1)', { sizes: randomSizes(1, 64, 9) }],
  ['random splits (seed 2)', { sizes: randomSizes(2, 64, 40) }],
  ['pause on every event', { sizes: [7], pauseEverywhere: true }],
];

it('finds the fixture files', () => {
  expect(files.length).toBeGreaterThan(3);
});

for (const file of files) {
  const cases = parseFixtureFile(file, readFileSync(join(dir, file), 'latin1'));
  describe(file, () => {
    for (const c of cases) {
      for (const mode of ['strict', 'lenient'] as ParseMode[]) {
        const expected = c.expected[mode];
        if (expected === undefined) continue;
        it(`${c.name} [${mode}] (line ${c.line})`, () => {
          for (const [feedName, feed] of feeds) {
            const log = runToLog(
              c.input,
              { kind: c.kind, mode, ...c.options },
              feed,
              c.expectResponseTo,
              c.callEnd,
            );
            expect(log, `${feedName}`).toBe(expected);
          }
        });
      }
    }
  });
}
