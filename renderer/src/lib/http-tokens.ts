/**
 * Where the parts of a typed HTTP request are, line by line, for the raw editor's
 * highlighting: the start line (method, target, version), header lines (name, colon,
 * value), the empty line that ends the head, and the body (JSON when the Content-Type
 * says so). Offsets are within one line; a line's trailing CR is never part of a token
 * (the editor shows it as ␍). Whitespace other than one space where HTTP expects one is
 * an `odd-space` token, so a deliberately malformed line stays visibly malformed.
 */
export type TokenKind =
  | 'method'
  | 'target'
  | 'version'
  | 'extra'
  | 'odd-space'
  | 'header-name'
  | 'colon'
  | 'header-value'
  | 'bad-line'
  | 'json-key'
  | 'json-string'
  | 'json-number'
  | 'json-literal'
  | 'json-punct';

export interface LineToken {
  from: number;
  to: number;
  kind: TokenKind;
}

export interface HeadShape {
  /** Index of the empty line that ends the head, or -1 while there is none. */
  blankLine: number;
  /** Some head line ends with CR LF, so a line ending with a bare LF is worth marking. */
  crlf: boolean;
  /** The Content-Type says JSON. */
  json: boolean;
}

/** JSON lines longer than this are left plain: a minified megabyte is not worth colouring. */
const MAX_JSON_LINE = 20_000;
/** A head is looked for this far; past it (a pasted log, say) every line counts as head. */
const MAX_HEAD_LINES = 5_000;

/**
 * Finds the head's end like the composer's split does (the first `\r?\n\r?\n`): the first
 * line after the start line that is empty or a lone CR and is followed by a line break.
 */
export function headShape(lineAt: (i: number) => string, lineCount: number): HeadShape {
  let blankLine = -1;
  let crlf = false;
  let json = false;
  for (let i = 0; i < Math.min(lineCount, MAX_HEAD_LINES); i++) {
    const text = lineAt(i);
    if (i > 0 && i < lineCount - 1 && (text === '' || text === '\r')) {
      blankLine = i;
      break;
    }
    if (text.endsWith('\r') && i < lineCount - 1) crlf = true;
    const m = /^content-type[ \t]*:([^]*)$/i.exec(text);
    if (i > 0 && m) json = /json/i.test(m[1]!);
  }
  return { blankLine, crlf, json };
}

/** The length of the line without its trailing CR. */
function contentEnd(text: string): number {
  return text.endsWith('\r') ? text.length - 1 : text.length;
}

export function startLineTokens(text: string): LineToken[] {
  const out: LineToken[] = [];
  const end = contentEnd(text);
  const kinds: TokenKind[] = ['method', 'target', 'version'];
  const re = /[ \t]+|[^ \t]+/y;
  const content = text.slice(0, end);
  let word = 0;
  for (let at = 0; at < end;) {
    re.lastIndex = at;
    const m = re.exec(content)!;
    const to = at + m[0].length;
    if (m[0][0] === ' ' || m[0][0] === '\t') {
      if (m[0] !== ' ' || at === 0) out.push({ from: at, to, kind: 'odd-space' });
    } else {
      out.push({ from: at, to, kind: kinds[word++] ?? 'extra' });
    }
    at = to;
  }
  return out;
}

export function headerLineTokens(text: string): LineToken[] {
  const end = contentEnd(text);
  const colon = text.indexOf(':');
  if (colon === -1 || colon >= end) return end > 0 ? [{ from: 0, to: end, kind: 'bad-line' }] : [];
  const out: LineToken[] = [];
  // A line starting with whitespace (obs-fold), or whitespace before the colon, is odd.
  const lead = /^[ \t]*/.exec(text)![0].length;
  if (lead > 0) out.push({ from: 0, to: lead, kind: 'odd-space' });
  const name = text.slice(lead, colon);
  const nameEnd = lead + name.trimEnd().length;
  if (nameEnd > lead) out.push({ from: lead, to: nameEnd, kind: 'header-name' });
  if (nameEnd < colon) out.push({ from: nameEnd, to: colon, kind: 'odd-space' });
  out.push({ from: colon, to: colon + 1, kind: 'colon' });
  const value = text.slice(colon + 1, end);
  const pad = /^[ \t]*/.exec(value)![0];
  if (pad !== '' && pad !== ' ')
    out.push({ from: colon + 1, to: colon + 1 + pad.length, kind: 'odd-space' });
  const valueStart = colon + 1 + pad.length;
  if (valueStart < end) out.push({ from: valueStart, to: end, kind: 'header-value' });
  return out;
}

const JSON_RULES: Array<[TokenKind, RegExp]> = [
  ['json-string', /"(?:\\.|[^"\\])*"?/y],
  ['json-number', /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y],
  ['json-literal', /true|false|null/y],
  ['json-punct', /[{}[\],:]/y],
];

/** JSON strings cannot hold a raw line break, so each line can be coloured on its own. */
export function jsonLineTokens(text: string): LineToken[] {
  if (text.length > MAX_JSON_LINE) return [];
  const out: LineToken[] = [];
  let at = 0;
  outer: while (at < text.length) {
    for (const [kind, re] of JSON_RULES) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (m && m[0].length > 0) {
        const to = at + m[0].length;
        const key = kind === 'json-string' && /^[ \t]*:/.test(text.slice(to, to + 16));
        out.push({ from: at, to, kind: key ? 'json-key' : kind });
        at = to;
        continue outer;
      }
    }
    at++;
  }
  return out;
}
