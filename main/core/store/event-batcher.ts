/**
 * Coalesces store changes into `InspectorEvent`s for live subscribers: at most one batch
 * every `intervalMs`, each exchange at most once per batch (with its latest summary), and
 * never bodies. Order inside a batch: evicted, added, updated.
 */
import type { InspectorEvent } from '../../../shared/api/inspector-api';
import type { ExchangeSummary } from '../../../shared/model/exchange';

interface Summarizable {
  readonly id: number;
  toSummary(): ExchangeSummary;
}

export type StoreListener = (event: InspectorEvent) => void;

export class EventBatcher {
  private listeners = new Set<StoreListener>();
  private added = new Map<number, Summarizable>();
  private updated = new Map<number, Summarizable>();
  private evicted: { upToId: number; count: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onAdded(item: Summarizable): void {
    if (this.listeners.size === 0) return;
    this.added.set(item.id, item);
    this.schedule();
  }

  onUpdated(item: Summarizable): void {
    if (this.listeners.size === 0 || this.added.has(item.id)) return;
    this.updated.set(item.id, item);
    this.schedule();
  }

  onEvicted(upToId: number, count: number): void {
    if (this.listeners.size === 0) return;
    this.evicted = { upToId, count: (this.evicted?.count ?? 0) + count };
    this.schedule();
  }

  /** Clear is immediate: pending deltas describe exchanges that no longer exist. */
  cleared(): void {
    this.dropPending();
    this.emit({ type: 'exchanges-cleared' });
  }

  notice(level: 'info' | 'warning' | 'error', message: string, code?: string): void {
    this.emit({
      type: 'notice',
      level,
      message,
      ...(code ? { error: { code, message } } : {}),
    });
  }

  /** Emits what is pending now (used by close() and by tests that want no wait). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const evicted = this.evicted;
    const upTo = evicted?.upToId ?? -1;
    const added = [...this.added.values()].filter((e) => e.id > upTo).map((e) => e.toSummary());
    const updated = [...this.updated.values()].filter((e) => e.id > upTo).map((e) => e.toSummary());
    this.dropPending();
    if (evicted) {
      this.emit({
        type: 'exchanges-evicted',
        upToId: evicted.upToId,
        notice:
          `Removed the ${evicted.count} oldest exchange${evicted.count === 1 ? '' : 's'} ` +
          `(up to #${evicted.upToId}) to stay within the size limit`,
      });
    }
    if (added.length > 0) this.emit({ type: 'exchanges-added', items: added });
    if (updated.length > 0) this.emit({ type: 'exchanges-updated', items: updated });
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }

  private dropPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.added.clear();
    this.updated.clear();
    this.evicted = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  private emit(event: InspectorEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break recording or the other subscribers.
      }
    }
  }
}
