import { describe, expect, it } from 'vitest';
import {
  headerSearchText,
  parseFilter,
  type FilterSubject,
} from '../../../shared/filter/parse-filter';

const row = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  method: 'GET',
  url: 'http://api.example.com/v1/users?id=7',
  host: 'api.example.com',
  port: 80,
  path: '/v1/users?id=7',
  status: 200,
  source: 'proxy',
  state: 'complete',
  contentType: 'application/json; charset=utf-8',
  malformed: false,
  scheme: 'http',
  ...over,
});

const headers = () =>
  headerSearchText([
    ['X-Trace-Id', 'abc123'],
    ['Content-Type', 'text/html'],
  ]);

/** Each case: filter, subject overrides, expected match (data, not new test functions). */
const CASES: Array<[string, Partial<FilterSubject>, boolean]> = [
  ['', {}, true],
  ['users', {}, true],
  ['USERS', {}, true],
  ['get', {}, true],
  ['20', {}, true],
  ['nothing-like-this', {}, false],
  ['method:get', {}, true],
  ['method:POST', {}, false],
  ['status:200', {}, true],
  ['status:2xx', {}, true],
  ['status:4xx', { status: 404 }, true],
  ['status:4xx', { status: 500 }, false],
  ['status:>=400', { status: 400 }, true],
  ['status:>=400', { status: 399 }, false],
  ['status:<300', {}, true],
  ['status:>200', {}, false],
  ['status:400-499', { status: 451 }, true],
  ['status:>=400', { status: null }, false],
  ['status:none', { status: null }, true],
  ['host:example.com', {}, true],
  ['host:api.example.com', {}, true],
  ['host:xample.com', {}, false],
  ['host:*.example.com', {}, true],
  ['host:example.com:80', {}, true],
  ['host:example.com:8080', {}, false],
  ['-host:example.com', {}, false],
  ['-host:other.org', {}, true],
  ['path:/v1', {}, true],
  ['path:/users', {}, false],
  ['path:users', {}, true],
  ['url:id=7', {}, true],
  ['source:composer', { source: 'composer' }, true],
  ['source:proxy', { source: 'import' }, false],
  ['state:failed', { state: 'failed' }, true],
  ['state:failed', {}, false],
  ['type:json', {}, true],
  ['type:html', {}, false],
  ['type:image', { contentType: 'image/png' }, true],
  ['type:js', { contentType: 'text/javascript' }, true],
  ['type:json', { contentType: null }, false],
  ['is:malformed', { malformed: true }, true],
  ['is:failed', {}, false],
  ['is:tunnel', { scheme: 'tunnel', state: 'tunnel' }, true],
  ['method:GET status:2xx host:example.com', {}, true],
  ['method:GET status:5xx', {}, false],
  ['"v1/users"', {}, true],
  ['"v1 users"', {}, false],
  ['url:"users?id=7"', {}, true],
  ['"hello world"', { url: 'http://x/hello world' }, true],
  ['http://api.example.com', {}, true], // not a field: free text
  ['abc123', {}, true], // header value via the accessor
  ['x-trace-id', {}, true],
  ['header:x-trace-id', {}, true],
  ['header:x-trace-id=abc', {}, true],
  ['header:x-trace-id=zzz', {}, false],
  ['-header:content-type=text/html', {}, false],
];

describe('parseFilter', () => {
  it.each(CASES)('%s (%o) → %s', (text, over, expected) => {
    const { predicate, errors } = parseFilter(text);
    expect(errors).toEqual([]);
    expect(predicate(row(over), headers)).toBe(expected);
  });

  it('without a headers accessor, header terms never match and free text skips headers', () => {
    expect(parseFilter('abc123').predicate(row())).toBe(false);
    expect(parseFilter('header:x-trace-id').predicate(row())).toBe(false);
    expect(parseFilter('users').predicate(row())).toBe(true);
  });

  it('reports bad terms with a message, ignores them, and never throws', () => {
    const { predicate, errors, empty } = parseFilter(
      'status:abc users state:weird source:x method: "open',
    );
    expect(errors.map((e) => e.term)).toEqual([
      'status:abc',
      'state:weird',
      'source:x',
      'method:',
      '"open',
    ]);
    expect(errors[0].message).toMatch(/status:abc: expected a status/);
    expect(errors[4].message).toMatch(/unterminated/);
    expect(errors[1].offset).toBe(17);
    expect(empty).toBe(false);
    expect(predicate(row())).toBe(true); // only `users` is applied
    for (const weird of ['-', ':', '""', 'status:', '\\', '-"', 'host:.', 'status:499-400']) {
      expect(() => parseFilter(weird)).not.toThrow();
    }
    expect(parseFilter('status:499-400').errors).toHaveLength(1);
    expect(parseFilter('   ').empty).toBe(true);
  });

  it('calls the headers accessor at most once, and only when needed', () => {
    let calls = 0;
    const accessor = () => {
      calls++;
      return 'x: y';
    };
    parseFilter('method:GET').predicate(row(), accessor);
    expect(calls).toBe(0);
    parseFilter('zzz header:x qqq').predicate(row(), accessor);
    expect(calls).toBe(1);
  });
});
