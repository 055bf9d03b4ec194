/**
 * Differential test: mutated messages (seeded random byte edits of the fixture inputs and
 * of the benchmark corpus) must give the same event log whole, byte at a time and in random
 * splits, in both modes — and the parser must never throw anything but a reported issue.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageKind, ParseMode } from '../../../shared/http/parser-types';
import { parseFixtureFile } from './fixture-format';
import { runToLog } from './event-log';
import { CORPORA, corpusBytes } from '../../../bench/parser-corpus';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = join(__dirname, '../../fixtures/http');
const bases: Array<{ kind: MessageKind; bytes: Uint8Array }> = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
  for (const c of parseFixtureFile(f, readFileSync(join(dir, f), 'latin1'))) {
    bases.push({ kind: c.kind, bytes: c.input });
  }
}
for (const c of CORPORA) bases.push({ kind: c.kind, bytes: corpusBytes(c, 2) });

/** Bytes that matter to HTTP/1 framing, plus a few ordinary ones. */
const INTERESTING = [13, 10, 32, 9, 0x3a, 0x3b, 0x30, 0x35, 0x61, 0x00, 0x7f, 0x80, 0xff, 0x2c];

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const b = INTERESTING[Math.floor(next() * INTERESTING.length)];
    const op = next();
    if (op < 0.4) out[Math.min(at, out.length - 1)] = b;
    else if (op < 0.7) out.splice(at, 0, b);
    else out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

function splits(next: () => number, max: number): number[] {
  return Array.from({ length: 50 }, () => 1 + Math.floor(next() * max));
}

describe('same events however the bytes are split', () => {
  for (const mode of ['strict', 'lenient'] as ParseMode[]) {
    it(`${mode}: 400 mutated messages`, () => {
      const next = rng(mode === 'strict' ? 7 : 11);
      for (let n = 0; n < 400; n++) {
        const base = bases[Math.floor(next() * bases.length)];
        const input = mutate(base.bytes, next);
        const opts = { kind: base.kind, mode, maxHeadBytes: 600 + Math.floor(next() * 2000) };
        const whole = runToLog(input, opts, { sizes: [] });
        const where = `case ${n}: ${JSON.stringify(new TextDecoder('latin1').decode(input))}`;
        expect(runToLog(input, opts, { sizes: [1] }), where).toBe(whole);
        expect(runToLog(input, opts, { sizes: splits(next, 64) }), where).toBe(whole);
        expect(runToLog(input, opts, { sizes: [5], pauseEverywhere: true }), where).toBe(whole);
      }
    });
  }
});
