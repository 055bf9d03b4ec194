/**
 * The grammar of chunk extensions (RFC 9112 §7.1.1), checked byte by byte as they stream:
 *   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-name = token;  chunk-ext-val = token / quoted-string
 * A proxy must not forward an extension the next hop could read differently, so strict
 * mode refuses anything else (Node's llhttp, for one, rejects it). That includes BWS, the
 * optional whitespace: RFC 9110 §5.6.3 says a sender MUST NOT generate it, and a proxy
 * that forwards bytes as received would be generating it (llhttp refuses it too).
 */
import { FIELD_VALUE, HT, SP, TOKEN } from './token-tables';

const enum E {
  BeforeName,
  Name,
  AfterName,
  BeforeValue,
  TokenValue,
  Quoted,
  QuotedEscape,
  AfterValue,
  /** A violation was reported: skip to the end of the line. */
  Broken,
}

const SEMI = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

export class ChunkExtensionChecker {
  private state = E.BeforeName;
  private whitespaceSeen = false;

  /** Starts a new extension list (the byte after the first ";"). */
  reset(): void {
    this.state = E.BeforeName;
    this.whitespaceSeen = false;
  }

  /** Feeds one byte (not CR/LF); returns an error message or null. */
  step(c: number): string | null {
    const ws = c === SP || c === HT;
    if (ws && this.state !== E.Quoted && this.state !== E.Broken && !this.whitespaceSeen) {
      // Reported once per line; the grammar below still tolerates it (lenient mode).
      this.whitespaceSeen = true;
      const problem = this.grammar(c, ws);
      return problem ?? 'whitespace in a chunk extension (BWS) must not be forwarded';
    }
    return this.grammar(c, ws);
  }

  private grammar(c: number, ws: boolean): string | null {
    switch (this.state) {
      case E.BeforeName:
        if (ws) return null;
        if (TOKEN[c]) return this.go(E.Name);
        return this.fail('chunk extension name must be a token');
      case E.Name:
        if (TOKEN[c]) return null;
        return this.afterToken(c, ws, E.AfterName);
      case E.AfterName:
        if (ws) return null;
        return this.afterToken(c, ws, E.AfterName);
      case E.BeforeValue:
        if (ws) return null;
        if (c === DQUOTE) return this.go(E.Quoted);
        if (TOKEN[c]) return this.go(E.TokenValue);
        return this.fail('chunk extension value must be a token or a quoted string');
      case E.TokenValue:
        if (TOKEN[c]) return null;
        if (ws) return this.go(E.AfterValue);
        if (c === SEMI) return this.go(E.BeforeName);
        return this.fail('invalid byte in chunk extension value');
      case E.Quoted:
        if (c === DQUOTE) return this.go(E.AfterValue);
        if (c === BACKSLASH) return this.go(E.QuotedEscape);
        if (FIELD_VALUE[c]) return null;
        return this.fail('invalid byte in quoted chunk extension value');
      case E.QuotedEscape:
        if (FIELD_VALUE[c]) return this.go(E.Quoted);
        return this.fail('invalid escaped byte in chunk extension value');
      case E.AfterValue:
        if (ws) return null;
        if (c === SEMI) return this.go(E.BeforeName);
        return this.fail('unexpected byte after chunk extension value');
      case E.Broken:
        return null;
    }
  }

  /** The line ended: an extension cut short after ";" or "=" is an error. */
  end(): string | null {
    const s = this.state;
    if (s === E.BeforeName) return this.fail('empty chunk extension after ";"');
    if (s === E.BeforeValue) return this.fail('chunk extension value missing after "="');
    if (s === E.Quoted || s === E.QuotedEscape)
      return this.fail('unterminated quoted chunk extension value');
    return null;
  }

  private afterToken(c: number, ws: boolean, wsState: E): string | null {
    if (ws) return this.go(wsState);
    if (c === EQUALS) return this.go(E.BeforeValue);
    if (c === SEMI) return this.go(E.BeforeName);
    return this.fail('invalid byte in chunk extension name');
  }

  private go(state: E): null {
    this.state = state;
    return null;
  }

  private fail(message: string): string {
    this.state = E.Broken;
    return message;
  }
}
