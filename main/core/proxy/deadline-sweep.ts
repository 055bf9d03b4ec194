/**
 * Deadlines for many in-flight exchanges checked by one shared interval instead of a
 * timer armed and cleared per request (arming timers was a measurable per-request cost).
 * An entry fires between its deadline and one period later; the period is a tenth of the
 * timeout (20 ms to 1 s), so a 60 s timeout fires within 61 s. The interval runs only
 * while something waits and never keeps the process alive.
 */

import { SlotList, type Slotted } from '../slot-list';

export interface Expiring extends Slotted {
  /** performance.now() value at which `expire` is due. */
  deadlineAt: number;
  expire(): void;
}

export class DeadlineSweep {
  private readonly waiting = new SlotList<Expiring>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly timeoutMs: number) {}

  /** Sets the entry's deadline to now + the timeout and watches it. */
  add(entry: Expiring): void {
    entry.deadlineAt = performance.now() + this.timeoutMs;
    this.waiting.add(entry);
    if (this.timer) return;
    const period = Math.min(1000, Math.max(20, Math.round(this.timeoutMs / 10)));
    this.timer = setInterval(() => this.sweep(), period);
    this.timer.unref();
  }

  delete(entry: Expiring): void {
    this.waiting.delete(entry);
  }

  private sweep(): void {
    const now = performance.now();
    this.waiting.forEach((entry) => {
      if (entry.deadlineAt > now) return;
      this.waiting.delete(entry);
      entry.expire();
    });
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

const sweeps = new Map<number, DeadlineSweep>();

/** The shared sweep for deadlines of `timeoutMs` (one per distinct timeout value). */
export function sweepFor(timeoutMs: number): DeadlineSweep {
  let sweep = sweeps.get(timeoutMs);
  if (!sweep) {
    sweep = new DeadlineSweep(timeoutMs);
    sweeps.set(timeoutMs, sweep);
  }
  return sweep;
}
