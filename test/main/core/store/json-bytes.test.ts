/**
 * JsonBytes (main/core/store/json-bytes.ts) writes the text JSON.stringify would, and its
 * lines stay valid after the slab they were written in is full.
 */
import { describe, expect, it } from 'vitest';
import { ascii, JsonBytes } from '../../../../main/core/store/json-bytes';
import { nowMs } from '../../../../main/core/clock';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

const NUMBERS = [
  0,
  7,
  10,
  99,
  1234567890,
  -1,
  -42,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2 ** 53,
  2 ** 60,
  1e21,
  1.5,
  -0.25,
  0.1 + 0.2,
  1795746560317.9675,
  1795746560334.1187,
  5e-324,
  -0,
  NaN,
  Infinity,
  -Infinity,
];

const STRINGS = [
  '',
  'GET',
  '/api/items?q=1&r=2',
  'with "quotes" and \\backslash\\',
  'control \u0000 \u001f \n \t \r',
  'delete \u007f',
  'latin1 café ÿ',
  'emoji 😀 and CJK 漢字',
  'lone surrogate \ud800 end',
  '\u2028\u2029',
];

describe('JsonBytes', () => {
  it.each(NUMBERS)('writes the number %d as JSON.stringify does', (x) => {
    const out = new JsonBytes();
    out.num(x);
    expect(text(out.end())).toBe(JSON.stringify(x));
  });

  it.each(STRINGS)('writes the string %j as JSON.stringify does', (s) => {
    const out = new JsonBytes();
    out.str(s);
    expect(text(out.end())).toBe(JSON.stringify(s));
  });

  it('writes time marks to the microsecond as JSON.stringify does', () => {
    // nowMs() values (../../../../main/core/clock.ts), and random ones of every size.
    const out = new JsonBytes();
    const xs = [nowMs(), nowMs() + 0.001];
    for (let i = 0; i < 20_000; i++) {
      const k = Math.floor(Math.random() * 2 ** (10 + (i % 44)));
      xs.push(k / 1000, Math.round(Math.random() * 2 ** 53) / 2 ** (i % 40));
    }
    for (const x of xs) {
      out.num(x);
      expect(text(out.end())).toBe(JSON.stringify(x));
    }
  });

  it('writes keys, characters, null and JSON text in order', () => {
    const out = new JsonBytes();
    out.raw(ascii('{"a":'));
    out.numOrNull(null);
    out.char(0x2c);
    out.raw(ascii('"b":'));
    out.text(JSON.stringify({ x: ['é', 1] }));
    out.char(0x7d);
    expect(JSON.parse(text(out.end()))).toEqual({ a: null, b: { x: ['é', 1] } });
  });

  it('keeps earlier lines intact when a line outgrows the slab', () => {
    const out = new JsonBytes();
    const lines: Uint8Array[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      // 40 × ~20 KiB crosses the 256 KiB slab; one line of 300 KiB does too, mid-line.
      const s = (i === 20 ? 'y'.repeat(300 * 1024) : 'x'.repeat(20 * 1024)) + i;
      out.raw(ascii('['));
      out.num(i);
      out.char(0x2c);
      out.str(s);
      out.raw(ascii(']'));
      lines.push(out.end());
      expected.push(JSON.stringify([i, s]));
    }
    expect(lines.map(text)).toEqual(expected);
  });
});
