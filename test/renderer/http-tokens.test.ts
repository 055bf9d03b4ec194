import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import {
  headShape,
  headerLineTokens,
  jsonLineTokens,
  startLineTokens,
  type LineToken,
} from '../../renderer/src/lib/http-tokens';
import { lineBreakAt } from '../../renderer/src/lib/line-break';

/** Each token as "kind:text", so a case reads like the line it marks. */
const show = (text: string, tokens: LineToken[]) =>
  tokens.map((t) => `${t.kind}:${text.slice(t.from, t.to)}`);

describe('raw editor highlighting: where the parts of a request are', () => {
  it('splits the start line into method, target and version; odd whitespace stands out', () => {
    const line = 'POST /a?b=1 HTTP/1.1\r';
    expect(show(line, startLineTokens(line))).toEqual([
      'method:POST',
      'target:/a?b=1',
      'version:HTTP/1.1',
    ]);
    const odd = ' GET\t/  HTTP/1.1 x';
    expect(show(odd, startLineTokens(odd))).toEqual([
      'odd-space: ',
      'method:GET',
      'odd-space:\t',
      'target:/',
      'odd-space:  ',
      'version:HTTP/1.1',
      'extra:x',
    ]);
  });

  it('marks header names, values and malformed header lines', () => {
    const ok = 'Content-Type: text/plain\r';
    expect(show(ok, headerLineTokens(ok))).toEqual([
      'header-name:Content-Type',
      'colon::',
      'header-value:text/plain',
    ]);
    const odd = 'X-Odd :\t v';
    expect(show(odd, headerLineTokens(odd))).toEqual([
      'header-name:X-Odd',
      'odd-space: ',
      'colon::',
      'odd-space:\t ',
      'header-value:v',
    ]);
    expect(show('no colon here', headerLineTokens('no colon here'))).toEqual([
      'bad-line:no colon here',
    ]);
    expect(show(' folded', headerLineTokens(' folded'))).toEqual(['bad-line: folded']);
  });

  it('finds the empty line (LF or CR LF), CR LF heads and a JSON Content-Type', () => {
    const shapeOf = (text: string) => {
      const lines = text.split('\n');
      return headShape((i) => lines[i]!, lines.length);
    };
    expect(shapeOf('GET / HTTP/1.1\nHost: a\n\nbody')).toEqual({
      blankLine: 2,
      crlf: false,
      json: false,
    });
    expect(shapeOf('POST / HTTP/1.1\r\ncontent-type: application/problem+json\r\n\r\n{}')).toEqual({
      blankLine: 2,
      crlf: true,
      json: true,
    });
    // A trailing empty line is not yet the end of the head (no line break after it).
    expect(shapeOf('GET / HTTP/1.1\nHost: a\n').blankLine).toBe(-1);
  });

  it('colours JSON body lines: keys apart from string values', () => {
    const line = '  "a": ["x", 1.5e3, true, null],';
    expect(show(line, jsonLineTokens(line))).toEqual([
      'json-key:"a"',
      'json-punct::',
      'json-punct:[',
      'json-string:"x"',
      'json-punct:,',
      'json-number:1.5e3',
      'json-punct:,',
      'json-literal:true',
      'json-punct:,',
      'json-literal:null',
      'json-punct:]',
      'json-punct:,',
    ]);
  });
});

describe('raw editor Enter: continues the line ending of the line', () => {
  const enter = (text: string, pos: number) => {
    const doc = Text.of(text.split('\n'));
    const { insert, cursor } = lineBreakAt(doc, pos);
    return { text: text.slice(0, pos) + insert + text.slice(pos), cursor: pos + cursor };
  };

  it('adds LF on LF lines and CR LF on CR LF lines, wherever the cursor is', () => {
    expect(enter('GET / HTTP/1.1\nHost: a', 14).text).toBe('GET / HTTP/1.1\n\nHost: a');
    // Before the line's CR, and after it (End puts the cursor there): same text either way.
    const crlf = 'GET / HTTP/1.1\r\nHost: a';
    expect(enter(crlf, 14)).toEqual({ text: 'GET / HTTP/1.1\r\n\r\nHost: a', cursor: 16 });
    expect(enter(crlf, 15)).toEqual({ text: 'GET / HTTP/1.1\r\n\r\nHost: a', cursor: 16 });
    // The last line, not ended yet, ends like the start line; a bare LF line stays alone.
    expect(enter(crlf, crlf.length).text).toBe('GET / HTTP/1.1\r\nHost: a\r\n');
    const bare = 'GET / HTTP/1.1\r\nX-A: 1\nX-B: 2';
    expect(enter(bare, bare.length).text).toBe(`${bare}\r\n`);
    expect(enter(bare, 22).text).toBe('GET / HTTP/1.1\r\nX-A: 1\n\nX-B: 2');
  });
});
