/**
 * Splits a pasted curl command into argv words the way a POSIX shell (bash) would, using
 * the maintained `shell-quote` parser (pure JS, no Node imports) for quoting rules:
 * '…', "…", $'…' (ANSI-C), backslash escapes. We add what it leaves to us: line
 * continuations, bytes written as `\xHH` / octal inside $'…' (bash emits raw bytes; the
 * parser returns chars, so we mark them to turn back into single bytes), and control
 * operators (`|`, `;`, `&&`) that end the command.
 */
import { parse } from 'shell-quote';
import { utf8Bytes } from './bytes';

/** Private-use chars U+F780–U+F7FF stand for raw bytes 0x80–0xFF from $'\xHH'. */
const RAW_BYTE_BASE = 0xf700;

function markRawBytesInAnsiC(command: string): string {
  return command.replace(/\$'((?:\\[\s\S]|[^\\'])*)'/g, (_whole, body: string) => {
    const fixed = body.replace(
      /\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|[\s\S])/g,
      (esc: string, what: string) => {
        const value =
          what[0] === 'x'
            ? parseInt(what.slice(1), 16)
            : /^[0-7]/.test(what)
              ? parseInt(what, 8) & 0xff
              : -1;
        return value >= 0x80 ? `\\u${(RAW_BYTE_BASE + value).toString(16)}` : esc;
      },
    );
    return `$'${fixed}'`;
  });
}

export interface CurlWords {
  words: string[];
  warnings: string[];
}

/**
 * Windows `cmd` form (Chrome's "Copy as cURL (cmd)", our own toCurl for cmd): cmd first
 * removes carets (`^"` `^&` `^^`, `^` + newline continues the line), then the C runtime
 * splits argv: quotes group, `\"` is a literal quote, backslashes only count before a quote.
 */
function splitCmdWords(command: string): string[] {
  const text = command
    .replace(/\^\r?\n\r?\n/g, '\n') // caret + empty line: a newline inside a word
    .replace(/\^\r?\n/g, '') // caret at the end of a line: the command continues
    .replace(/\^([\s\S])/g, '$1');
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      let n = 0;
      while (text[i] === '\\') {
        n++;
        i++;
      }
      if (text[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else quoted = !quoted;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
      inWord = true;
    } else if (c === '"') {
      if (quoted && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export function splitCurlWords(command: string): CurlWords {
  if (/\^"/.test(command) || /^\s*curl\.exe\s/i.test(command)) {
    return { words: splitCmdWords(command.replace(/^\uFEFF/, '')), warnings: [] };
  }
  const warnings: string[] = [];
  // A backslash-newline outside single quotes is a line continuation (bash removes both).
  // Also accept the `^` (cmd) and backtick (PowerShell) continuations people paste.
  let text = command
    .replace(/^\uFEFF/, '')
    .replace(/\\\r?\n/g, '')
    .replace(/[\^`]\r?\n/g, '');
  text = markRawBytesInAnsiC(text);
  const usedVars = new Set<string>();
  const entries = parse(text, (name: string) => {
    usedVars.add(name);
    return '$' + name;
  });
  if (usedVars.size > 0) {
    warnings.push(
      `shell variables are not expanded: ${[...usedVars].map((v) => '$' + v).join(', ')}`,
    );
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      words.push(entry);
    } else if ('op' in entry && entry.op === 'glob') {
      words.push(entry.pattern);
    } else if ('comment' in entry) {
      break;
    } else {
      warnings.push(
        `stopped at shell operator "${entry.op}": only the curl command itself is read`,
      );
      break;
    }
  }
  return { words, warnings };
}

/**
 * A word as bytes: UTF-8 text, except the raw-byte marks from $'\xHH' which become the
 * single byte they stood for.
 */
export function wordBytes(word: string): Uint8Array {
  if (!/[\uf780-\uf7ff]/.test(word)) return utf8Bytes(word);
  const out: number[] = [];
  for (const part of word.split(/([\uf780-\uf7ff])/)) {
    if (part.length === 1 && part.charCodeAt(0) >= 0xf780 && part.charCodeAt(0) <= 0xf7ff) {
      out.push(part.charCodeAt(0) - RAW_BYTE_BASE);
    } else {
      for (const b of utf8Bytes(part)) out.push(b);
    }
  }
  return new Uint8Array(out);
}
