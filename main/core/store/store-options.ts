/** Options of the exchange store and their defaults. */

export interface ExchangeStoreOptions {
  /** Keep at most this many exchanges; the oldest are evicted with a notice. Default: no cap. */
  maxExchanges?: number;
  /** Messages of exchanges up to this many raw bytes (both sides) stay in memory. 64 KiB. */
  bodyInMemoryLimit?: number;
  /** Longest time a record waits in memory before being written. Default 25 ms. */
  flushIntervalMs?: number;
  /**
   * A finished exchange is written right after the current event-loop turn, unless the
   * last write was less than this long ago: then this long after it (a busy proxy writes
   * at most once per this many ms, not once per turn). A SIGKILL can lose exchanges that
   * finished this recently (not yet reported complete). 0 (default): always right after
   * the turn — 5 and 20 ms made no measurable difference to the proxy's CPU per request
   * (docs/benchmarks.md), so the stricter guarantee is kept.
   */
  finishedWriteDelayMs?: number;
  /**
   * An exchange still in flight after this long starts being written as it goes (so a
   * crash brings it back as interrupted); a quicker one is written whole, as one record,
   * when it finishes (a crash before that loses it: it was in flight). Default 500 ms.
   */
  inFlightRecordAfterMs?: number;
  /** Replay progress on open: bytes of records.ndjson read so far, of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Subscriber batches at most this often. Default 50 ms. */
  eventIntervalMs?: number;
  /** Archived logs kept by `clear()` (older ones are deleted). Default 5. */
  keepArchives?: number;
  /**
   * Total raw bytes of small exchanges kept in memory. Beyond it the oldest exchanges'
   * bytes are dropped from memory (they stay on disk and are read back). Default 256 MiB.
   */
  memoryBudget?: number;
}

/** The capture log lives in this subfolder of the data folder. */
export const CAPTURE_DIR = 'capture';

export const DEFAULTS = {
  bodyInMemoryLimit: 64 * 1024,
  flushIntervalMs: 25,
  finishedWriteDelayMs: 0,
  inFlightRecordAfterMs: 500,
  eventIntervalMs: 50,
  keepArchives: 5,
  memoryBudget: 256 * 1024 * 1024,
} as const;
