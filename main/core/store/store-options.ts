/** Options of the exchange store and their defaults. */

export interface ExchangeStoreOptions {
  /** Keep at most this many exchanges; the oldest are evicted with a notice. Default: no cap. */
  maxExchanges?: number;
  /** Messages of exchanges up to this many raw bytes (both sides) stay in memory. 64 KiB. */
  bodyInMemoryLimit?: number;
  /** Longest time a record waits in memory before being written. Default 25 ms. */
  flushIntervalMs?: number;
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
  eventIntervalMs: 50,
  keepArchives: 5,
  memoryBudget: 256 * 1024 * 1024,
} as const;
