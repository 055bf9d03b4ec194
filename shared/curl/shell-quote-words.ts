/**
 * Quoting one argv word (given as bytes) for POSIX shells, Windows cmd and PowerShell,
 * so that the program receives exactly those bytes.
 */
import { strictUtf8 } from './bytes';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** bash/zsh/sh: bare, '…', or $'…' (control chars and non-UTF-8 bytes). NUL is impossible. */
export function quotePosix(word: Uint8Array): string {
  const text = strictUtf8(word);
  if (text !== null && text !== '' && SAFE.test(text)) return text;
  if (text !== null && !CONTROL.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  let i = 0;
  while (i < word.length) {
    const b = word[i];
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += "\\'";
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b < 0x20 || b === 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else if (b < 0x80) out += String.fromCharCode(b);
    else {
      // Keep valid UTF-8 sequences readable; escape stray bytes.
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      const seq = len > 1 ? strictUtf8(word.subarray(i, i + len)) : null;
      if (seq !== null && seq.length > 0 && !seq.includes('\ufffd')) {
        out += seq;
        i += len;
        continue;
      }
      out += '\\x' + b.toString(16).padStart(2, '0');
    }
    i++;
  }
  return out + "'";
}

/** A printf format that prints exactly `bytes` (octal escapes; works in dash and bash). */
export function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x25 && b !== 0x27)
      out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return `'${out}'`;
}

/**
 * cmd.exe: the word goes through cmd (carets escape its metacharacters) and then the C
 * runtime's argv rules (backslashes before a quote are doubled, quotes become \").
 * Wrapping in ^"…^" keeps cmd from treating anything inside as special.
 */
export function quoteCmd(text: string): string {
  let inner = '';
  let backslashes = 0;
  for (const c of text) {
    if (c === '\\') {
      backslashes++;
      continue;
    }
    if (c === '"') {
      inner += '\\'.repeat(backslashes * 2 + 1) + '^"';
    } else {
      inner += '\\'.repeat(backslashes);
      if (c === '\n') inner += '^\n\n';
      else if (c === '\r') inner += '';
      else if (/[&|<>()^%!]/.test(c)) inner += '^' + c;
      else inner += c;
    }
    backslashes = 0;
  }
  inner += '\\'.repeat(backslashes * 2); // before the closing quote
  return `^"${inner}^"`;
}

/** PowerShell: single quotes, a quote doubled. */
export function quotePowerShell(text: string): string {
  return `'${text.replace(/'/g, "''").replace(/[\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}
