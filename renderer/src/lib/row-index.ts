/** Binary search over the exchange list (ascending ids; holes, while the snapshot loads, sort last). */
import type { ExchangeSummary } from '../../../shared/model/exchange';

export type Rows = ReadonlyArray<ExchangeSummary | undefined>;

/** First index whose id is >= `id`. */
export function lowerBound(list: Rows, id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = list[mid];
    if (row !== undefined && row.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the row with this id, or -1. */
export function indexIn(list: Rows, id: number): number {
  const i = lowerBound(list, id);
  return list[i]?.id === id ? i : -1;
}
