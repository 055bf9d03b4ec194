import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { decodeBody, ZSTD_AVAILABLE } from '../../../../main/core/content/decode-body';

const text = 'Wirelens shows bodies decoded. '.repeat(200);
const plain = new TextEncoder().encode(text);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

function chunk(data: Uint8Array, size: number): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < data.length; i += size) {
    const piece = data.subarray(i, i + size);
    parts.push(
      ...new TextEncoder().encode(piece.length.toString(16) + ';ext=1\r\n'),
      ...piece,
      13,
      10,
    );
  }
  parts.push(...new TextEncoder().encode('0\r\nX-Trailer: t\r\n\r\n'));
  return Uint8Array.from(parts);
}

describe('decodeBody', () => {
  it('gzip and x-gzip', () => {
    const gz = zlib.gzipSync(plain);
    for (const name of ['gzip', 'x-gzip', 'GZIP']) {
      const r = decodeBody(gz, [['Content-Encoding', name]], 'content-length');
      expect(decode(r.bytes)).toBe(text);
      expect(r.decodedFrom).toEqual([name.toLowerCase()]);
      expect(r.error).toBeUndefined();
    }
  });

  it('deflate with the zlib wrapper and raw deflate', () => {
    for (const data of [zlib.deflateSync(plain), zlib.deflateRawSync(plain)]) {
      const r = decodeBody(data, [['content-encoding', 'deflate']], 'close');
      expect(decode(r.bytes)).toBe(text);
      expect(r.decodedFrom).toEqual(['deflate']);
    }
  });

  it('br', () => {
    const r = decodeBody(zlib.brotliCompressSync(plain), [['Content-Encoding', 'br']], 'close');
    expect(decode(r.bytes)).toBe(text);
  });

  it('chunked then gzip: de-chunks first', () => {
    const wire = chunk(zlib.gzipSync(plain), 100);
    const r = decodeBody(wire, [['Content-Encoding', 'gzip']], 'chunked');
    expect(decode(r.bytes)).toBe(text);
    expect(r.decodedFrom).toEqual(['chunked', 'gzip']);
  });

  it('a gzip transfer coding under chunked is undone too, before the content coding', () => {
    const wire = chunk(zlib.gzipSync(zlib.deflateSync(plain)), 64);
    const headers: Array<[string, string]> = [
      ['Transfer-Encoding', 'gzip, chunked'],
      ['Content-Encoding', 'deflate'],
    ];
    const r = decodeBody(wire, headers, 'chunked');
    expect(decode(r.bytes)).toBe(text);
    expect(r.decodedFrom).toEqual(['chunked', 'gzip', 'deflate']);
  });

  it('several codings are undone last to first', () => {
    const data = zlib.brotliCompressSync(zlib.gzipSync(plain));
    const r = decodeBody(data, [['Content-Encoding', 'gzip, br']], 'content-length');
    expect(decode(r.bytes)).toBe(text);
    expect(r.decodedFrom).toEqual(['br', 'gzip']);
  });

  it('identity and no Content-Encoding leave the bytes alone', () => {
    expect(decodeBody(plain, [], 'content-length').bytes).toEqual(plain);
    const r = decodeBody(plain, [['Content-Encoding', 'identity']], 'content-length');
    expect(r.bytes).toEqual(plain);
    expect(r.decodedFrom).toEqual([]);
  });

  it('unknown coding: error text, bytes returned undecoded', () => {
    const r = decodeBody(chunk(plain, 50), [['Content-Encoding', 'compress']], 'chunked');
    expect(r.error).toMatch(/cannot decode "compress"/);
    expect(decode(r.bytes)).toBe(text);
    expect(r.decodedFrom).toEqual(['chunked']);
  });

  it('corrupt gzip: error, raw bytes', () => {
    const bad = Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5]);
    const r = decodeBody(bad, [['Content-Encoding', 'gzip']], 'content-length');
    expect(r.error).toMatch(/gzip/);
    expect(r.bytes).toEqual(bad);
  });

  it('a truncated gzip capture still shows what it holds', () => {
    const gz = zlib.gzipSync(plain);
    const r = decodeBody(gz.subarray(0, gz.length - 12), [['Content-Encoding', 'gzip']], 'close');
    expect(r.error).toBeUndefined();
    expect(r.bytes.length).toBeGreaterThan(0);
    expect(text.startsWith(decode(r.bytes))).toBe(true);
  });

  it('refuses to inflate beyond maxBytes', () => {
    const bomb = zlib.gzipSync(new Uint8Array(1_000_000));
    const r = decodeBody(bomb, [['Content-Encoding', 'gzip']], 'close', { maxBytes: 10_000 });
    expect(r.error).toMatch(/larger than 10000 bytes/);
    expect(r.bytes).toEqual(bomb);
  });

  it('incomplete chunked body: decodes what arrived and says so', () => {
    const wire = chunk(plain, 100);
    const r = decodeBody(wire.subarray(0, 250), [], 'chunked');
    expect(r.error).toMatch(/chunked body/);
    expect(text.startsWith(decode(r.bytes))).toBe(true);
    expect(r.bytes.length).toBe(216); // two 112-byte chunks, then 16 bytes of the third
  });

  it('zstd decodes when the runtime has it, otherwise says so', () => {
    const z = zlib as unknown as { zstdCompressSync?: (b: Uint8Array) => Buffer };
    if (ZSTD_AVAILABLE && z.zstdCompressSync) {
      const r = decodeBody(z.zstdCompressSync(plain), [['Content-Encoding', 'zstd']], 'close');
      expect(decode(r.bytes)).toBe(text);
    } else {
      const r = decodeBody(plain, [['Content-Encoding', 'zstd']], 'close');
      expect(r.error).toMatch(/zstd is not supported/);
      expect(r.bytes).toEqual(plain);
    }
  });
});
