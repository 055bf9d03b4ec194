/**
 * The parser fixture format (test/fixtures/http/*.txt), modelled on llhttp's tests:
 *
 *   ### name of the case
 *   kind: request | response          (default request)
 *   expect-response-to: HEAD, GET      (response parsers: queued request methods)
 *   options: maxHeadBytes=64 maxHeaderCount=2 maxChunkExtensionBytes=8
 *   end: no                            (default: end() is called after the input)
 *   <<<
 *   GET / HTTP/1.1\r\n                 raw bytes; file newlines are ignored, escapes are
 *   \r\n                               \r \n \t \0 \\ \xHH
 *   >>> strict | lenient | both        expected event log (see event-log.ts); one block per
 *   head@0 "GET / HTTP/1.1" ...        mode, or `both` (the default) when they agree
 *
 * Lines starting with `#` (one hash) outside the raw block are comments.
 */
import type { MessageKind, ParseMode, ParserOptions } from '../../../shared/http/parser-types';

export interface FixtureCase {
  file: string;
  name: string;
  line: number;
  kind: MessageKind;
  expectResponseTo: string[];
  options: Partial<ParserOptions>;
  callEnd: boolean;
  input: Uint8Array;
  expected: Partial<Record<ParseMode, string>>;
}

export function parseFixtureFile(file: string, text: string): FixtureCase[] {
  const cases: FixtureCase[] = [];
  const lines = text.split('\n');
  let cur: FixtureCase | null = null;
  let section: 'meta' | 'raw' | ParseMode | 'both' = 'meta';
  let raw = '';
  let expect: string[] = [];
  const flush = (): void => {
    if (cur === null) return;
    if (section === 'raw') cur.input = unescapeRaw(raw);
    else if (section !== 'meta') storeExpect(cur, section, expect);
    if (cur.input.length === 0) throw new Error(`${file}:${cur.line}: case without input`);
    cases.push(cur);
  };
  lines.forEach((rawLine, idx) => {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('### ')) {
      flush();
      cur = {
        file,
        name: line.slice(4).trim(),
        line: idx + 1,
        kind: 'request',
        expectResponseTo: [],
        options: {},
        callEnd: true,
        input: new Uint8Array(0),
        expected: {},
      };
      section = 'meta';
      raw = '';
      expect = [];
      return;
    }
    if (cur === null) return;
    const c: FixtureCase = cur;
    if (line === '<<<') {
      section = 'raw';
      return;
    }
    if (line.startsWith('>>>')) {
      if (section === 'raw') c.input = unescapeRaw(raw);
      else if (section !== 'meta') storeExpect(c, section, expect);
      const which = line.slice(3).trim() || 'both';
      if (which !== 'strict' && which !== 'lenient' && which !== 'both') {
        throw new Error(`${file}:${idx + 1}: unknown mode "${which}"`);
      }
      section = which;
      expect = [];
      return;
    }
    if (section === 'raw') {
      raw += line;
    } else if (section === 'meta') {
      if (line.trim() === '' || line.startsWith('#')) return;
      const m = /^([a-z-]+):\s*(.*)$/.exec(line);
      if (!m) throw new Error(`${file}:${idx + 1}: bad meta line "${line}"`);
      applyMeta(c, m[1], m[2].trim(), `${file}:${idx + 1}`);
    } else if (line.trim() !== '') {
      expect.push(line);
    }
  });
  flush();
  return cases;
}

function storeExpect(c: FixtureCase, which: ParseMode | 'both', lines: string[]): void {
  const text = lines.join('\n');
  if (which === 'both') {
    c.expected.strict = text;
    c.expected.lenient = text;
  } else c.expected[which] = text;
}

function applyMeta(c: FixtureCase, key: string, value: string, where: string): void {
  if (key === 'kind') {
    if (value !== 'request' && value !== 'response') throw new Error(`${where}: bad kind`);
    c.kind = value;
  } else if (key === 'expect-response-to') {
    c.expectResponseTo = value.split(',').map((s) => s.trim());
  } else if (key === 'end') {
    c.callEnd = value !== 'no';
  } else if (key === 'options') {
    for (const pair of value.split(/\s+/)) {
      const [k, v] = pair.split('=');
      (c.options as Record<string, number>)[k] = Number(v);
    }
  } else throw new Error(`${where}: unknown meta "${key}"`);
}

export function unescapeRaw(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      out.push(text.charCodeAt(i) & 0xff);
      continue;
    }
    const n = text[++i];
    if (n === 'r') out.push(13);
    else if (n === 'n') out.push(10);
    else if (n === 't') out.push(9);
    else if (n === '0') out.push(0);
    else if (n === '\\') out.push(92);
    else if (n === 'x') {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape \\${n}`);
  }
  return Uint8Array.from(out);
}

/** Inverse of unescapeRaw for the event log: printable ASCII stays readable. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 13) s += '\\r';
    else if (b === 10) s += '\\n';
    else if (b === 9) s += '\\t';
    else if (b === 92) s += '\\\\';
    else if (b === 34) s += '\\"';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}
