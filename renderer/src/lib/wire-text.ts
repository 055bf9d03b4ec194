/**
 * Bytes exactly as on the wire, as lines of text for display: each line keeps every byte
 * (spaces, odd case) and says how it ended, so the view can mark CR LF and let a bare LF
 * or CR stand out. Text is UTF-8 when the bytes are valid UTF-8, else Latin-1 (one char
 * per byte, so nothing is hidden or merged).
 */
import type { MessageLayout } from '../../../shared/model/exchange';

export type LineEnd = 'crlf' | 'lf' | 'cr' | '';

export interface WireLine {
  text: string;
  end: LineEnd;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function wireText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return text;
  }
}

export function wireLines(bytes: Uint8Array): WireLine[] {
  const text = wireText(bytes);
  const lines: WireLine[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      lines.push({ text: text.slice(start, i), end: 'crlf' });
      start = ++i + 1;
    } else if (c === 10 || c === 13) {
      lines.push({ text: text.slice(start, i), end: c === 10 ? 'lf' : 'cr' });
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), end: '' });
  return lines;
}

export interface HeadParts {
  /** The start line with its line ending. */
  startLine: Uint8Array;
  /** Header lines and the empty line that ends the head. */
  headerBlock: Uint8Array;
}

/**
 * Cuts one message's head out of a side's head bytes by its recorded layout. The spans
 * count from the first byte of the side, so for a final response that followed 1xx
 * responses the bytes before its start line are theirs (see `headBytes`).
 */
export function splitHead(head: Uint8Array, layout: MessageLayout): HeadParts {
  const start = Math.min(layout.startLine.start, head.length);
  const cut = Math.min(layout.headerBlock.start, head.length);
  const end = Math.min(layout.headerBlock.end, head.length);
  return { startLine: head.subarray(start, cut), headerBlock: head.subarray(cut, end) };
}

/** The whole head of one message (start line and header block) out of a side's head bytes. */
export function headBytes(head: Uint8Array, layout: MessageLayout): Uint8Array {
  const end = Math.min(layout.headerBlock.end, head.length);
  return head.subarray(Math.min(layout.startLine.start, end), end);
}
