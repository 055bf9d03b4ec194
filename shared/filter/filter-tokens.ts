/**
 * Splits a filter expression into terms: whitespace separates terms, `"…"` or `'…'`
 * quote values with spaces (backslash escapes `"` and `\` inside double quotes), a
 * leading `-` negates a term. Never throws; an unterminated quote is reported.
 */

export interface FilterToken {
  /** The term as typed (for error messages). */
  text: string;
  /** Character offset of the term in the expression. */
  offset: number;
  negated: boolean;
  /** Lowercased field name when the term is `field:value` (before any quote). */
  field: string | null;
  /** The value with quotes removed (the whole term for free text). */
  value: string;
  /** Error found while reading the term (e.g. unterminated quote). */
  error?: string;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function tokenizeFilter(input: string, fields: ReadonlySet<string>): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && isSpace(input[i])) i++;
    if (i >= input.length) break;
    const start = i;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !isSpace(input[i + 1])) {
      negated = true;
      i++;
    }
    let value = '';
    let field: string | null = null;
    let error: string | undefined;
    let sawQuote = false;
    while (i < input.length && !isSpace(input[i])) {
      const c = input[i];
      if (c === '"' || c === "'") {
        sawQuote = true;
        const close = readQuoted(input, i, c);
        value += close.value;
        i = close.end;
        if (close.unterminated) error = `unterminated ${c} quote`;
        continue;
      }
      if (c === ':' && field === null && !sawQuote && fields.has(value.toLowerCase())) {
        field = value.toLowerCase();
        value = '';
        i++;
        continue;
      }
      value += c;
      i++;
    }
    tokens.push({ text: input.slice(start, i), offset: start, negated, field, value, error });
  }
  return tokens;
}

function readQuoted(
  input: string,
  at: number,
  quote: string,
): { value: string; end: number; unterminated: boolean } {
  let value = '';
  let i = at + 1;
  while (i < input.length) {
    const c = input[i];
    if (c === quote) return { value, end: i + 1, unterminated: false };
    if (c === '\\' && quote === '"' && i + 1 < input.length) {
      value += input[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { value, end: i, unterminated: true };
}
