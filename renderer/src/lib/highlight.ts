/**
 * A small tokenizer for showing HTML/XML, CSS and JavaScript as coloured source. It only
 * splits text into classed pieces rendered as text nodes — captured markup is never
 * interpreted (no v-html, no iframe).
 */
export interface Token {
  cls: string;
  text: string;
}

const RULES: Record<'markup' | 'css' | 'js', Array<[string, RegExp]>> = {
  markup: [
    ['comment', /<!--[\s\S]*?(?:-->|$)/y],
    ['tag', /<\/?[A-Za-z][\w:.-]*|\/?>/y],
    ['string', /"[^"]*"|'[^']*'/y],
    ['attr', /[A-Za-z_:][\w:.-]*(?==)/y],
    ['entity', /&#?\w+;/y],
  ],
  css: [
    ['comment', /\/\*[\s\S]*?(?:\*\/|$)/y],
    ['string', /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/y],
    ['keyword', /@[\w-]+/y],
    ['attr', /[\w-]+(?=\s*:)/y],
    ['number', /#[0-9a-fA-F]{3,8}\b|-?\d*\.?\d+(?:px|em|rem|%|vh|vw|s|ms)?/y],
  ],
  js: [
    ['comment', /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y],
    ['string', /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/y],
    [
      'keyword',
      /\b(?:const|let|var|function|return|if|else|for|while|do|switch|case|break|continue|new|class|extends|import|export|from|default|async|await|try|catch|finally|throw|typeof|instanceof|in|of|this|null|undefined|true|false)\b/y,
    ],
    ['number', /\b\d+(?:\.\d+)?\b/y],
  ],
};

export function tokenize(text: string, language: 'markup' | 'css' | 'js'): Token[] {
  const rules = RULES[language];
  const out: Token[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const [cls, re] of rules) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && m[0].length > 0) {
        if (plain) out.push({ cls: '', text: plain });
        plain = '';
        out.push({ cls, text: m[0] });
        i += m[0].length;
        continue outer;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) out.push({ cls: '', text: plain });
  return out;
}
