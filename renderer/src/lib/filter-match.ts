/**
 * Client-side filter for live deltas: the server applies the same language in
 * `listExchanges({ filter })`; this decides whether a newly pushed summary belongs in the
 * filtered list. Delegates to shared/filter once it is available (see `useSharedFilter`).
 */
import type { ExchangeSummary } from '../../../shared/model/exchange';

export interface CompiledFilter {
  predicate: (summary: ExchangeSummary) => boolean;
  errors: string[];
}

type FilterParser = (text: string) => {
  predicate: (summary: ExchangeSummary) => boolean;
  errors: Array<string | { message: string }>;
};

let sharedParser: FilterParser | null = null;

/** Installs the shared filter language's parser (shared/filter `parseFilter`). */
export function useSharedFilter(parser: FilterParser): void {
  sharedParser = parser;
}

export function compileFilter(text: string): CompiledFilter {
  const trimmed = text.trim();
  if (!trimmed) return { predicate: () => true, errors: [] };
  if (sharedParser) {
    const parsed = sharedParser(trimmed);
    return {
      predicate: parsed.predicate,
      errors: parsed.errors.map((e) => (typeof e === 'string' ? e : e.message)),
    };
  }
  return compileFallback(trimmed);
}

/** A small stand-in for the shared language: free text and method/status/host terms. */
function compileFallback(text: string): CompiledFilter {
  const errors: string[] = [];
  const tests: Array<(s: ExchangeSummary) => boolean> = [];
  for (const word of text.split(/\s+/)) {
    const negate = word.startsWith('-') && word.includes(':');
    const term = negate ? word.slice(1) : word;
    const colon = term.indexOf(':');
    const field = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? term.slice(colon + 1).toLowerCase() : term.toLowerCase();
    let test: ((s: ExchangeSummary) => boolean) | null;
    if (field === 'method') test = (s) => s.method.toLowerCase() === value;
    else if (field === 'host') test = (s) => s.host.toLowerCase().includes(value);
    else if (field === 'status') test = statusTest(value);
    else if (field && !/^https?$/.test(field)) {
      errors.push(`Unknown field "${field}"`);
      test = null;
    } else {
      const needle = term.toLowerCase();
      test = (s) =>
        s.method.toLowerCase().includes(needle) ||
        s.url.toLowerCase().includes(needle) ||
        String(s.status ?? '').includes(needle);
    }
    if (test) {
      const t = test;
      tests.push(negate ? (s) => !t(s) : t);
    }
  }
  return { predicate: (s) => tests.every((t) => t(s)), errors };
}

function statusTest(value: string): (s: ExchangeSummary) => boolean {
  const cls = /^([1-5])xx$/.exec(value);
  if (cls) {
    const base = Number(cls[1]) * 100;
    return (s) => s.status !== null && s.status >= base && s.status < base + 100;
  }
  return (s) => String(s.status ?? '') === value;
}
