/**
 * Client-side filter for live deltas: the server applies the same language (shared/filter)
 * in `listExchanges({ filter })`; this decides whether a newly pushed summary belongs in
 * the filtered list. Summaries carry no headers, so free text and `header:` terms match
 * headers only in the server's snapshot (the next snapshot corrects a live row).
 */
import { parseFilter } from '../../../shared/filter/parse-filter';
import type { ExchangeSummary } from '../../../shared/model/exchange';

export interface CompiledFilter {
  predicate: (summary: ExchangeSummary) => boolean;
  errors: string[];
}

export function compileFilter(text: string): CompiledFilter {
  const parsed = parseFilter(text);
  if (parsed.empty) return { predicate: () => true, errors: parsed.errors.map((e) => e.message) };
  return { predicate: (s) => parsed.predicate(s), errors: parsed.errors.map((e) => e.message) };
}
