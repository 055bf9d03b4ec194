/**
 * The one-pass forms of the wire encoding (stringifyWire / parseWire) must produce and
 * accept exactly what encodeWire + JSON.stringify / JSON.parse + decodeWire do.
 */
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire, parseWire, stringifyWire } from '../../shared/api/wire-encoding';
import { parseWireFast } from '../../renderer/src/api/fast-wire';
import { stringifyWireNode } from '../../main/headless/web-bridge/node-wire';

const bytes = Uint8Array.from({ length: 70 }, (_, i) => (i * 37) & 0xff);
const samples: unknown[] = [
  { id: 1, result: { items: [{ id: 1, path: '/a', status: null, error: undefined }], total: 1 } },
  { event: { type: 'exchanges-added', items: [{ id: 2, path: '/"$bytes"' }] } },
  { id: 3, result: { bytes, offset: 0, nested: [bytes.subarray(3, 9), { deep: [bytes] }] } },
  { $bytes: 'not alone', n: null, list: [1, 'x', undefined] },
  bytes,
  'text',
  null,
];

describe('wire encoding in one pass', () => {
  it('stringifies like JSON.stringify(encodeWire(value)), Node Buffers included', () => {
    for (const value of samples) {
      const expected = JSON.stringify(encodeWire(value));
      expect(stringifyWire(value)).toBe(expected);
      expect(stringifyWireNode(value)).toBe(expected);
    }
    // A Buffer's own toJSON must not win over the byte encoding.
    const buffer = Buffer.from('héllo');
    expect(stringifyWireNode({ b: buffer })).toBe(JSON.stringify(encodeWire({ b: buffer })));
    expect(stringifyWireNode({ b: buffer })).toContain('$bytes');
  });

  it('parses like decodeWire(JSON.parse(text)), walking only frames that carry bytes', () => {
    for (const value of samples) {
      const text = JSON.stringify(encodeWire(value));
      const expected = decodeWire(JSON.parse(text));
      expect(parseWire(text)).toEqual(expected);
      expect(parseWireFast(text)).toEqual(expected);
    }
    const withBytes = parseWire(stringifyWire({ b: bytes })) as { b: Uint8Array };
    expect(withBytes.b).toBeInstanceOf(Uint8Array);
    expect([...withBytes.b]).toEqual([...bytes]);
  });
});
