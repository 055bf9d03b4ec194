/**
 * The fast byte encodings of the web transport (renderer/src/api/fast-wire.ts in the page,
 * main/headless/web-bridge/node-wire.ts in the server) must be interchangeable with the
 * contract's shared/api/wire-encoding.ts, byte for byte, for every length.
 */
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../shared/api/wire-encoding';
import {
  decodeBase64,
  decodeWireFast,
  encodeBase64,
  encodeWireFast,
} from '../../renderer/src/api/fast-wire';
import { decodeWireNode, encodeWireNode } from '../../main/headless/web-bridge/node-wire';

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) & 0xff;
}

describe('web transport byte encoding', () => {
  it('matches the shared encoding for every length 0..300 and every byte value', () => {
    const next = seeded(7);
    for (let len = 0; len <= 300; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (len === 256 ? i : next()));
      const shared = JSON.stringify(encodeWire({ b: bytes }));
      expect(JSON.stringify(encodeWireFast({ b: bytes })), `len ${len}`).toBe(shared);
      expect(JSON.stringify(encodeWireNode({ b: bytes })), `len ${len}`).toBe(shared);
      for (const decoded of [
        decodeWireFast(JSON.parse(shared)),
        decodeWireNode(JSON.parse(shared)),
        decodeWire(JSON.parse(shared)),
      ]) {
        const out = (decoded as { b: Uint8Array }).b;
        expect(out).toBeInstanceOf(Uint8Array);
        expect([...out]).toEqual([...bytes]);
      }
    }
  });

  it('keeps nested structure, ignores look-alikes, and round-trips a large body', () => {
    const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 1 }, (_, i) => (i * 31) & 0xff);
    const value = { a: [1, 'x', { raw: big.subarray(5, 9) }], $bytes: 'not alone', n: null };
    expect(decodeWireFast(encodeWireNode(value))).toEqual(decodeWire(encodeWire(value)));
    // Buffer.equals: a deep toEqual over 3 MiB would take the test runner minutes.
    const back = decodeBase64(encodeBase64(big));
    expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);
    expect(encodeBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64/);
  });
});
