/**
 * What Enter inserts in the raw editor, whose document keeps CRs as ordinary characters
 * (only LF splits lines). A line that ends with a CR is split with CR LF; the last line
 * (not ended yet) ends like the start line. So a CR LF request stays CR LF as it is typed,
 * an LF one stays LF, and a bare LF typed on purpose (Shift+Enter) does not spread.
 */
import type { Text } from '@codemirror/state';

export interface LineBreak {
  insert: string;
  /** Where the cursor goes, relative to the insertion point. */
  cursor: number;
}

export function lineBreakAt(doc: Text, pos: number): LineBreak {
  const line = doc.lineAt(pos);
  const last = line.number === doc.lines;
  const crlf = line.text.endsWith('\r') || (last && doc.line(1).text.endsWith('\r'));
  if (!crlf) return { insert: '\n', cursor: 1 };
  // After the line's own CR (End puts the cursor there): the CR stays with this line and
  // the new line gets one of its own, before which the cursor lands.
  if (pos === line.to && line.text.endsWith('\r')) return { insert: '\n\r', cursor: 1 };
  return { insert: '\r\n', cursor: 2 };
}
