/** Picks a body view from the content type (the user can override it) and decodes text. */
export type BodyKind = 'text' | 'json' | 'source' | 'image' | 'form' | 'hex';

export const BODY_KINDS: BodyKind[] = ['text', 'json', 'source', 'image', 'form', 'hex'];

export function mimeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function charsetOf(contentType: string | null | undefined): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : 'utf-8';
}

export function sourceLanguage(mime: string): 'markup' | 'css' | 'js' | null {
  if (/html|xml|svg/.test(mime)) return 'markup';
  if (/css/.test(mime)) return 'css';
  if (/javascript|ecmascript|typescript/.test(mime)) return 'js';
  return null;
}

export function autoKind(contentType: string | null | undefined, bytes: Uint8Array): BodyKind {
  const mime = mimeOf(contentType);
  if (/json/.test(mime)) return 'json';
  if (mime.startsWith('image/') && mime !== 'image/svg+xml') return 'image';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (sourceLanguage(mime)) return 'source';
  if (mime.startsWith('text/') || looksLikeText(bytes)) return 'text';
  return 'hex';
}

/** No NUL and few control bytes in the first 4 KB: worth showing as text. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control <= n / 50;
}

export function decodeText(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
