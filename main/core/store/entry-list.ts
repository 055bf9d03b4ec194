/**
 * The exchanges held in memory, oldest first (ids only grow, so the array is sorted by
 * id): lookup by binary search, eviction of the oldest (size cap), and the memory budget
 * for the raw bytes of small exchanges (the oldest fall back to reading from disk).
 */
import type { ExchangeEntry } from './exchange-entry';

export class EntryList {
  /** `items[head…]` are the stored exchanges; evicted ones are dropped lazily. */
  items: ExchangeEntry[] = [];
  head = 0;
  /** Every id up to this one was evicted. */
  evictedUpTo = 0;
  /** Raw bytes held in memory, and the first index whose bytes the budget has not dropped. */
  private rawBytes = 0;
  private rawCursor = 0;

  constructor(private readonly memoryBudget: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(entry: ExchangeEntry): void {
    this.items.push(entry);
  }

  /** The exchange with this id, or undefined. */
  find(id: number): ExchangeEntry | undefined {
    let lo = this.head;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.items[mid];
      if (e.id === id) return e;
      if (e.id < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The id that evicting down to `max` exchanges would evict up to, or null. */
  overflowUpTo(max: number): number | null {
    if (this.size <= max) return null;
    return this.items[this.head + (this.size - max) - 1].id;
  }

  /** Drops exchanges with id ≤ upTo; returns how many. */
  evictUpTo(upTo: number): number {
    let count = 0;
    while (this.head < this.items.length && this.items[this.head].id <= upTo) {
      const raw = this.items[this.head].raw;
      if (raw) this.rawBytes -= raw.length;
      this.head++;
      count++;
    }
    this.evictedUpTo = Math.max(this.evictedUpTo, upTo);
    // Compact now and then rather than shifting the array on every eviction.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.rawCursor = Math.max(0, this.rawCursor - this.head);
      this.head = 0;
    }
    return count;
  }

  /** Counts the raw bytes of every stored exchange (after a replay) and applies the budget. */
  countRaw(): void {
    this.rawBytes = 0;
    for (let i = this.head; i < this.items.length; i++)
      this.rawBytes += this.items[i].raw?.length ?? 0;
    this.trimRaw();
  }

  /** Counts a newly finished exchange's in-memory bytes against the budget. */
  keptRaw(entry: ExchangeEntry): void {
    if (!entry.raw) return;
    // Older than what the budget already dropped: drop this one too (keeps the cursor true).
    if (this.rawCursor > this.head) {
      const cursor = this.items[this.rawCursor];
      if (!cursor || entry.id < cursor.id) {
        entry.raw = null;
        return;
      }
    }
    this.rawBytes += entry.raw.length;
    this.trimRaw();
  }

  private trimRaw(): void {
    if (this.rawCursor < this.head) this.rawCursor = this.head;
    while (this.rawBytes > this.memoryBudget && this.rawCursor < this.items.length) {
      const entry = this.items[this.rawCursor++];
      if (entry.raw) {
        this.rawBytes -= entry.raw.length;
        entry.raw = null;
      }
    }
  }
}
