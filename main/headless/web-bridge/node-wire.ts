/**
 * The server side of the wire encoding (`{ $bytes: base64 }`, shared/api/wire-encoding.ts)
 * with Node's native base64: the shared pure-TS helpers go through `btoa` and a spread of
 * the byte array, ~0.5 s per MiB under Node 20 — too slow for body slices.
 */
function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function encodeWireNode(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (Array.isArray(value)) return value.map(encodeWireNode);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeWireNode(v);
    return out;
  }
  return value;
}

export function decodeWireNode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWireNode);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bytes === 'string' && Object.keys(record).length === 1) {
      // A plain Uint8Array (not a Buffer view of the pool), like the shared decoder returns.
      return new Uint8Array(Buffer.from(record.$bytes, 'base64'));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = decodeWireNode(v);
    return out;
  }
  return value;
}
