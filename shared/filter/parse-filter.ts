/**
 * The filter language shared by the store (server side) and the UI.
 *
 * ```
 * login -host:cdn.example.com status:>=400 method:POST type:json "two words"
 * ```
 * All terms must match (AND). Free text matches, case-insensitively, the method, URL,
 * status and — where the caller provides them — header names and values. Field terms:
 *
 * | term | matches |
 * |---|---|
 * | `method:POST` | the method, any case |
 * | `status:404`, `status:4xx`, `status:>=400` (`>` `<` `<=` `=`), `status:400-499`, `status:none` | the response status (`none`: no response) |
 * | `host:example.com` | that host or any subdomain (`host:example.com:8080` also checks the port) |
 * | `path:/api` | path prefix when the value starts with `/`, else substring |
 * | `url:…` | substring of the full URL |
 * | `source:proxy\|composer\|import`, `state:failed` (any ExchangeState) | exactly |
 * | `type:json` (also html, xml, js, css, image, font, text, form, multipart, binary) | the response Content-Type; anything else is a substring of it |
 * | `header:name` / `header:name=value` | a header with that name (and value substring) |
 * | `is:malformed`, `is:failed`, `is:tunnel` | flags |
 *
 * A leading `-` negates a term; `"…"`/`'…'` quote values with spaces. A bad term is
 * reported in `errors` and ignored by the predicate; parsing never throws.
 */
import type { ExchangeState } from '../model/exchange';
import { tokenizeFilter, type FilterToken } from './filter-tokens';

/** What a filter looks at; an ExchangeSummary has all of it. */
export interface FilterSubject {
  method: string;
  url: string;
  host: string;
  port: number;
  path: string;
  status: number | null;
  source: string;
  state: string;
  contentType: string | null;
  malformed: boolean;
  scheme: string;
}

/**
 * Gives the header text of an exchange (request and response), one `name: value` per
 * line, when the caller has it; see `headerSearchText`. Absent: header terms never match
 * and free text does not look at headers.
 */
export type HeaderTextAccessor = () => string;

export interface FilterError {
  /** The term as typed. */
  term: string;
  offset: number;
  message: string;
}

export interface ParsedFilter {
  predicate: (subject: FilterSubject, headers?: HeaderTextAccessor) => boolean;
  errors: FilterError[];
  /** True when there is no (valid) term: everything matches. */
  empty: boolean;
}

type Test = (s: FilterSubject, headers: () => string) => boolean;

const FIELDS = new Set([
  'method',
  'status',
  'host',
  'path',
  'url',
  'source',
  'state',
  'type',
  'header',
  'is',
]);
const SOURCES = new Set(['proxy', 'composer', 'import']);
const STATES = new Set<ExchangeState>([
  'pending',
  'request-complete',
  'response-head',
  'complete',
  'failed',
  'tunnel',
]);
const TYPE_ALIASES: Record<string, string[]> = {
  json: ['json'],
  html: ['html'],
  xml: ['xml'],
  js: ['javascript', 'ecmascript'],
  javascript: ['javascript', 'ecmascript'],
  css: ['css'],
  image: ['image/'],
  img: ['image/'],
  font: ['font'],
  text: ['text/'],
  form: ['x-www-form-urlencoded'],
  multipart: ['multipart/'],
  binary: ['octet-stream'],
};

/** One `name: value` line per header, for a `HeaderTextAccessor`. */
export function headerSearchText(headers: ReadonlyArray<readonly [string, string]>): string {
  let text = '';
  for (const [name, value] of headers) text += `${name}: ${value}\n`;
  return text;
}

/** Parses a filter expression. */
export function parseFilter(text: string): ParsedFilter {
  const errors: FilterError[] = [];
  const tests: Test[] = [];
  for (const token of tokenizeFilter(text ?? '', FIELDS)) {
    const result = token.error ? token.error : compileTerm(token);
    if (typeof result === 'string') {
      errors.push({ term: token.text, offset: token.offset, message: `${token.text}: ${result}` });
      continue;
    }
    tests.push(token.negated ? (s, h) => !result(s, h) : result);
  }
  const predicate = (subject: FilterSubject, headers?: HeaderTextAccessor): boolean => {
    let headerText: string | undefined;
    const lazyHeaders = (): string => (headerText ??= headers ? headers().toLowerCase() : '');
    for (const test of tests) if (!test(subject, lazyHeaders)) return false;
    return true;
  };
  return { predicate, errors, empty: tests.length === 0 };
}

/** A test for one term, or an error message. */
function compileTerm(token: FilterToken): Test | string {
  const value = token.value;
  const lower = value.toLowerCase();
  if (token.field === null) {
    if (lower === '') return 'empty term';
    return (s, headers) =>
      s.method.toLowerCase().includes(lower) ||
      s.url.toLowerCase().includes(lower) ||
      (s.status !== null && String(s.status).includes(lower)) ||
      headers().includes(lower);
  }
  if (value === '') return `${token.field}: needs a value`;
  switch (token.field) {
    case 'method':
      return (s) => s.method.toLowerCase() === lower;
    case 'status':
      return statusTest(lower);
    case 'host':
      return hostTest(lower);
    case 'path':
      return lower.startsWith('/')
        ? (s) => s.path.toLowerCase().startsWith(lower)
        : (s) => s.path.toLowerCase().includes(lower);
    case 'url':
      return (s) => s.url.toLowerCase().includes(lower);
    case 'source':
      if (!SOURCES.has(lower)) return `unknown source (use proxy, composer or import)`;
      return (s) => s.source === lower;
    case 'state':
      if (!STATES.has(lower as ExchangeState))
        return `unknown state (use ${[...STATES].join(', ')})`;
      return (s) => s.state === lower;
    case 'type': {
      const needles = TYPE_ALIASES[lower] ?? [lower];
      return (s) => {
        const type = s.contentType?.toLowerCase() ?? '';
        return type !== '' && needles.some((n) => type.includes(n));
      };
    }
    case 'header':
      return headerTest(lower);
    case 'is':
      return isTest(lower);
    default:
      return 'unknown field';
  }
}

function statusTest(v: string): Test | string {
  if (v === 'none') return (s) => s.status === null;
  const cls = /^([1-5])xx$/.exec(v);
  if (cls) {
    const hundred = Number(cls[1]) * 100;
    return (s) => s.status !== null && s.status >= hundred && s.status < hundred + 100;
  }
  const range = /^(\d{3})-(\d{3})$/.exec(v);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) return 'range is backwards';
    return (s) => s.status !== null && s.status >= lo && s.status <= hi;
  }
  const cmp = /^(>=|<=|>|<|=)?(\d{3})$/.exec(v);
  if (!cmp) return 'expected a status like 404, 4xx, >=400 or 400-499';
  const n = Number(cmp[2]);
  switch (cmp[1]) {
    case '>=':
      return (s) => s.status !== null && s.status >= n;
    case '<=':
      return (s) => s.status !== null && s.status <= n;
    case '>':
      return (s) => s.status !== null && s.status > n;
    case '<':
      return (s) => s.status !== null && s.status < n;
    default:
      return (s) => s.status === n;
  }
}

function hostTest(v: string): Test | string {
  let host = v.replace(/^\*?\./, '');
  let port: number | null = null;
  const withPort = /^(.*[^:]):(\d{1,5})$/.exec(host);
  if (withPort && !host.startsWith('[')) {
    host = withPort[1];
    port = Number(withPort[2]);
  }
  host = host.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return 'needs a host name';
  return (s) => {
    const h = s.host.toLowerCase();
    return (h === host || h.endsWith(`.${host}`)) && (port === null || s.port === port);
  };
}

function headerTest(v: string): Test | string {
  const eq = v.indexOf('=');
  const name = (eq < 0 ? v : v.slice(0, eq)).trim();
  const value = eq < 0 ? null : v.slice(eq + 1);
  if (name === '') return 'needs a header name';
  return (_s, headers) =>
    headers()
      .split('\n')
      .some(
        (line) =>
          line.startsWith(`${name}:`) &&
          (value === null || line.slice(name.length + 1).includes(value)),
      );
}

function isTest(v: string): Test | string {
  switch (v) {
    case 'malformed':
      return (s) => s.malformed;
    case 'failed':
      return (s) => s.state === 'failed';
    case 'tunnel':
      return (s) => s.state === 'tunnel' || s.scheme === 'tunnel';
    default:
      return 'expected is:malformed, is:failed or is:tunnel';
  }
}
