/**
 * The composer's two views of one request: the raw text the user types and its parts
 * (start line fields, header rows, body). Splitting follows the message layout only
 * (first line / lines up to the empty line / the rest); validating HTTP is the sender's
 * and the shared parser's job — their warnings are shown before sending.
 */
import type { RawHeaders } from '../../../shared/model/exchange';

export interface RequestParts {
  method: string;
  target: string;
  version: string;
  headers: RawHeaders;
  body: string;
  /** No empty line yet: everything typed is still head. */
  headComplete: boolean;
}

export function splitRequestText(text: string): RequestParts {
  const normalized = text.replace(/\r\n/g, '\n');
  const headEnd = normalized.indexOf('\n\n');
  const head = headEnd === -1 ? normalized : normalized.slice(0, headEnd);
  const body = headEnd === -1 ? '' : normalized.slice(headEnd + 2);
  const [startLine = '', ...lines] = head.split('\n');
  const words = startLine.split(' ');
  const headers: RawHeaders = lines.map((line) => {
    const colon = line.indexOf(':');
    if (colon === -1) return [line, ''];
    return [line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+/, '')];
  });
  return {
    method: words[0] ?? '',
    target: words[1] ?? '',
    version: words.slice(2).join(' '),
    headers,
    body,
    headComplete: headEnd !== -1,
  };
}

export function joinRequestText(parts: RequestParts): string {
  const startLine = [parts.method, parts.target, parts.version].filter((w) => w !== '').join(' ');
  const lines = [startLine, ...parts.headers.map(([n, v]) => `${n}: ${v}`)];
  return `${lines.join('\n')}\n\n${parts.body}`;
}

/** Warnings shown before sending; they never block the send (malformed on purpose is allowed). */
export function requestWarnings(
  parts: RequestParts,
  fixContentLength: boolean,
  bodyBytes: number,
): string[] {
  const out: string[] = [];
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(parts.method))
    out.push(`Method "${parts.method}" is not a valid token.`);
  if (!parts.target) out.push('The request line has no target.');
  if (!/^HTTP\/\d\.\d$/.test(parts.version))
    out.push(`Version "${parts.version}" is not HTTP/x.y.`);
  if (!parts.headComplete)
    out.push('No empty line after the headers yet: the head is not finished.');
  const names = parts.headers.map(([n]) => n.toLowerCase());
  parts.headers.forEach(([name], i) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      out.push(`Header line ${i + 1} has an invalid name "${name}".`);
  });
  if (parts.version === 'HTTP/1.1' && !names.includes('host'))
    out.push('HTTP/1.1 requires a Host header.');
  const hasTe = names.includes('transfer-encoding');
  if (hasTe && names.includes('content-length'))
    out.push('Both Content-Length and Transfer-Encoding are set.');
  const cl = parts.headers.find(([n]) => n.toLowerCase() === 'content-length');
  if (cl && !fixContentLength && !hasTe && Number(cl[1].trim()) !== bodyBytes) {
    out.push(`Content-Length says ${cl[1].trim()}, the body has ${bodyBytes} bytes.`);
  }
  if (!cl && !hasTe && bodyBytes > 0 && !fixContentLength)
    out.push('The body has no Content-Length or Transfer-Encoding.');
  return out;
}

/** Bytes as the sender gets them: UTF-8, or one byte per char for bodies opened as latin1. */
export function encodeText(text: string, encoding: 'utf-8' | 'latin1'): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 255 ? 0x3f : c;
  }
  return out;
}

/** Decodes bytes for editing: UTF-8 when valid, otherwise latin1 (every byte kept). */
export function decodeForEditing(bytes: Uint8Array): {
  text: string;
  encoding: 'utf-8' | 'latin1';
} {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { text, encoding: 'latin1' };
  }
}

/** The raw head as text: start line + header lines, LF-separated for the editor. */
export function headText(startLine: string, headers: RawHeaders): string {
  return [startLine, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
}
