/**
 * The composer's raw editor: CodeMirror 6 set up so the text stays exactly what was typed.
 * Only LF splits lines (`lineSeparator: '\n'`), so a CR is an ordinary character, shown as
 * ␍, and nothing is normalised away: the document is the composer's text, byte for byte.
 * Enter continues the line's ending (CR LF after a line that has a CR, else LF), Shift+Enter
 * always adds a bare LF, Tab types a tab (Esc then Tab leaves the editor).
 */
import { Annotation, EditorSelection, EditorState, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  ViewPlugin,
  highlightSpecialChars,
  keymap,
  type Command,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  headShape,
  headerLineTokens,
  jsonLineTokens,
  startLineTokens,
  type LineToken,
  type TokenKind,
} from './http-tokens';
import { lineBreakAt } from './line-break';

/** Marks a change that came from the store (a structured edit), not from typing. */
const external = Annotation.define<boolean>();

const marks = new Map<TokenKind, Decoration>();
const mark = (kind: TokenKind) => {
  let d = marks.get(kind);
  if (!d) marks.set(kind, (d = Decoration.mark({ class: `tok-${kind}` })));
  return d;
};
const blankLineDeco = Decoration.line({
  class: 'cm-http-blank',
  attributes: { title: 'Empty line: the head ends here, the body follows' },
});
const bareLfDeco = Decoration.line({
  class: 'cm-http-bare-lf',
  attributes: { title: 'This line ends with a bare LF (no CR)' },
});

function decorate(view: EditorView): DecorationSet {
  const { doc } = view.state;
  const shape = headShape((i) => doc.line(i + 1).text, doc.lines);
  const out = [];
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = doc.lineAt(pos);
      const index = line.number - 1;
      const inHead = shape.blankLine === -1 || index < shape.blankLine;
      let tokens: LineToken[] = [];
      if (index === 0) tokens = startLineTokens(line.text);
      else if (inHead) tokens = headerLineTokens(line.text);
      else if (index === shape.blankLine) out.push(blankLineDeco.range(line.from));
      else if (shape.json) tokens = jsonLineTokens(line.text);
      const endsHead = inHead || index === shape.blankLine;
      if (endsHead && shape.crlf && line.number < doc.lines && !line.text.endsWith('\r'))
        out.push(bareLfDeco.range(line.from));
      for (const t of tokens) out.push(mark(t.kind).range(line.from + t.from, line.from + t.to));
      pos = line.to + 1;
    }
  }
  return Decoration.set(out, true);
}

const httpHighlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(u: ViewUpdate): void {
      if (u.docChanged || u.viewportChanged) this.decorations = decorate(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

function insertBreak(view: EditorView, bare: boolean): boolean {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      const { insert, cursor } = bare
        ? { insert: '\n', cursor: 1 }
        : lineBreakAt(state.doc, range.from);
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.cursor(range.from + cursor),
      };
    }),
    { scrollIntoView: true, userEvent: 'input' },
  );
  return true;
}
const enter: Command = (view) => insertBreak(view, false);
const bareLf: Command = (view) => insertBreak(view, true);
const tab: Command = (view) => {
  view.dispatch(view.state.replaceSelection('\t'), { userEvent: 'input' });
  return true;
};

const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)', fontSize: '12px' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-specialChar': { color: 'var(--muted)' },
});

export function rawEditorExtensions(onChange: (text: string) => void): Extension[] {
  return [
    EditorState.lineSeparator.of('\n'),
    EditorView.contentAttributes.of({ 'aria-label': 'Raw request', spellcheck: 'false' }),
    // Tabs are typed on purpose (odd whitespace), so show them like other special characters.
    highlightSpecialChars({ addSpecialChars: /\t/ }),
    history(),
    keymap.of([
      { key: 'Enter', run: enter, shift: bareLf },
      { key: 'Tab', run: tab },
      ...historyKeymap,
      // Mod-Enter is the composer's Send, not "insert blank line".
      ...defaultKeymap.filter((b) => b.key !== 'Mod-Enter'),
    ]),
    httpHighlighter,
    theme,
    EditorView.updateListener.of((u) => {
      if (u.docChanged && !u.transactions.some((t) => t.annotation(external)))
        onChange(u.state.doc.toString());
    }),
  ];
}

/** Puts the store's text into the editor, changing only the part that differs. */
export function replaceText(view: EditorView, text: string): void {
  const old = view.state.doc.toString();
  if (old === text) return;
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
  )
    end++;
  view.dispatch({
    changes: { from: start, to: old.length - end, insert: text.slice(start, text.length - end) },
    annotations: external.of(true),
  });
}
