/**
 * Resending the same request is the common case (a Repeater: send, look, send again), so
 * the last request prepared is remembered by content: the same bytes with the same options
 * skip the head scan, the fixes and the lint, and — when recording — the parsed view of
 * the request. Compared byte for byte (a caller may edit its buffer between sends); large
 * requests are not remembered (copying them would cost more than preparing them).
 */
import type { RecordedMessage } from './message-record';
import { prepareRequest, type PrepareOptions, type PreparedRequest } from './prepare-request';
import { requestRecord } from './request-record';

const MAX_CACHED_BYTES = 64 * 1024;

interface Remembered {
  /** Our own copy of the input (the caller's buffer may change). */
  raw: Uint8Array;
  normalize: boolean;
  fixLength: boolean;
  prepared: PreparedRequest;
  /** Whether prepare rewrote the bytes (else `prepared.bytes` is `raw`). */
  rewritten: boolean;
  record: RecordedMessage | null;
}

let last: Remembered | null = null;

/**
 * prepareRequest(raw, options), from memory when the bytes and options are the last ones.
 * The result is the caller's own: `bytes` is `raw` when unchanged, else a fresh copy.
 */
export function prepareRemembered(raw: Uint8Array, options: PrepareOptions): PreparedRequest {
  const normalize = options.normalizeLineEndings ?? true;
  const fixLength = options.fixContentLength ?? true;
  const hit = last;
  if (
    hit &&
    hit.normalize === normalize &&
    hit.fixLength === fixLength &&
    hit.raw.length === raw.length &&
    Buffer.compare(hit.raw, raw) === 0
  ) {
    const p = hit.prepared;
    return {
      bytes: hit.rewritten ? new Uint8Array(p.bytes) : raw,
      method: p.method,
      requestTarget: p.requestTarget,
      version: p.version,
      headers: p.headers.map(([n, v]) => [n, v]),
      warnings: [...p.warnings],
    };
  }
  const prepared = prepareRequest(raw, options);
  if (raw.length <= MAX_CACHED_BYTES) {
    const rewritten = prepared.bytes !== raw;
    // Copies (not views: Buffer#slice would share memory with the caller's buffer).
    const own = new Uint8Array(raw);
    last = {
      raw: own,
      normalize,
      fixLength,
      // Kept apart from what the caller gets, so later edits to that do not reach here.
      prepared: {
        ...prepared,
        bytes: rewritten ? new Uint8Array(prepared.bytes) : own,
        headers: prepared.headers.map(([n, v]) => [n, v]),
        warnings: [...prepared.warnings],
      },
      rewritten,
      record: null,
    };
  }
  return prepared;
}

/** The recorded view of the bytes as sent, remembered alongside the last prepared request. */
export function requestRecordRemembered(sent: Uint8Array): RecordedMessage {
  const hit = last;
  if (!hit) return requestRecord(sent);
  const bytes = hit.prepared.bytes;
  if (bytes.length !== sent.length || Buffer.compare(bytes, sent) !== 0) return requestRecord(sent);
  hit.record ??= requestRecord(sent);
  return hit.record;
}
