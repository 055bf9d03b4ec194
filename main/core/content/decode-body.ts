/**
 * Body decoding for display: de-chunk, then undo other transfer codings and Content-Encoding (gzip, x-gzip, deflate
 * with or without its zlib wrapper, br, and zstd when this Node has it). The renderer asks
 * main for decoded bodies; it never inflates large bodies itself.
 */
import zlib from 'node:zlib';
import type { BodyFraming, RawHeaders } from '../../../shared/model/exchange';
import { dechunk, headerTokens } from '../../../shared/http/framing';

export interface DecodedBody {
  /** Decoded bytes; on error, the de-chunked but still content-encoded bytes. */
  bytes: Uint8Array;
  /** What was undone, in order: e.g. `['chunked', 'gzip']`. */
  decodedFrom: string[];
  /** Why decoding stopped early, in plain words. */
  error?: string;
}

export interface DecodeOptions {
  /** Refuse to inflate beyond this many bytes (decompression bombs). Default 256 MiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

type Zstd = (buf: Uint8Array, opts: zlib.ZlibOptions) => Buffer;
const zstdDecompressSync = (zlib as unknown as { zstdDecompressSync?: Zstd }).zstdDecompressSync;

/** Whether this runtime can decode `zstd` (Node 22.15+ / 23.8+). */
export const ZSTD_AVAILABLE = typeof zstdDecompressSync === 'function';

/** Decodes a body recorded as on the wire; see DecodedBody. */
export function decodeBody(
  rawBody: Uint8Array,
  headers: RawHeaders,
  framing: BodyFraming,
  options: DecodeOptions = {},
): DecodedBody {
  const decodedFrom: string[] = [];
  let bytes = rawBody;
  let error: string | undefined;
  if (framing === 'chunked') {
    const d = dechunk(rawBody);
    bytes = d.payload;
    decodedFrom.push('chunked');
    // The issue that stopped de-chunking comes last.
    if (!d.complete)
      error = `chunked body: ${d.issues[d.issues.length - 1]?.message ?? 'incomplete'}`;
  }
  // Transfer codings other than chunked (e.g. `Transfer-Encoding: gzip, chunked`) were
  // applied after the content codings, so they are undone first.
  const transfer = headerTokens(headers, 'transfer-encoding')
    .map((c) => c.split(';')[0].trim())
    .filter((c) => c !== 'chunked' && c !== 'identity');
  const content = headerTokens(headers, 'content-encoding').filter((c) => c !== 'identity');
  const codings = [...content, ...transfer];
  const chunkedOnly = bytes;
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Codings are listed in the order they were applied: undo them last to first.
  for (let k = codings.length - 1; k >= 0; k--) {
    const coding = codings[k];
    try {
      bytes = inflate(coding, bytes, max);
      decodedFrom.push(coding);
    } catch (e) {
      const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      const why = tooLarge ? `decoded body larger than ${max} bytes` : messageOf(e);
      return {
        bytes: chunkedOnly,
        decodedFrom: decodedFrom.filter((c) => c === 'chunked'),
        error: `cannot decode "${coding}": ${why}`,
      };
    }
  }
  return error === undefined ? { bytes, decodedFrom } : { bytes, decodedFrom, error };
}

function inflate(coding: string, data: Uint8Array, max: number): Uint8Array {
  // SYNC_FLUSH: show what a truncated capture holds instead of failing on it.
  const opts = { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return view(zlib.gunzipSync(data, opts));
    case 'deflate':
      // RFC 9110 says zlib-wrapped; some servers send raw deflate. Try both.
      if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0) {
        return view(zlib.inflateSync(data, opts));
      }
      return view(zlib.inflateRawSync(data, opts));
    case 'br':
      return view(
        zlib.brotliDecompressSync(data, {
          maxOutputLength: max,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        }),
      );
    case 'zstd':
      if (zstdDecompressSync === undefined) {
        throw new Error('zstd is not supported by this Node.js version');
      }
      return view(zstdDecompressSync(data, { maxOutputLength: max }));
    default:
      throw new Error('unknown content coding');
  }
}

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
