/**
 * The multipart/form-data body curl builds for `-F` / `--form-string`, byte for byte
 * except the random boundary (curl 7.88: 24 dashes + 16 hex digits).
 */
import { concatBytes, utf8Bytes } from './bytes';
import { wordBytes } from './curl-words';

export type ReadFile = (path: string) => Uint8Array | null;

/** curl's built-in guesses (lib/mime.c), used when a file part has no `type=`. */
const TYPES_BY_EXTENSION: Record<string, string> = {
  gif: 'image/gif',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  htm: 'text/html',
  html: 'text/html',
  pdf: 'application/pdf',
  xml: 'application/xml',
};

export function randomBoundary(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return '-'.repeat(24) + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface FormPart {
  name: string;
  data: Uint8Array;
  filename: string | null;
  type: string | null;
}

const PARAM = /;\s*(type|filename|headers|encoder)=/;

/** Splits `content;type=x;filename=y`, honouring a double-quoted leading value. */
function splitParams(content: string): { value: string; params: Map<string, string> } {
  let value: string;
  let rest: string;
  if (content.startsWith('"')) {
    let j = 1;
    let v = '';
    for (; j < content.length && content[j] !== '"'; j++) {
      if (content[j] === '\\' && j + 1 < content.length) j++;
      v += content[j];
    }
    value = v;
    rest = content.slice(j + 1);
  } else {
    const m = PARAM.exec(content);
    value = m ? content.slice(0, m.index) : content;
    rest = m ? content.slice(m.index) : '';
  }
  const params = new Map<string, string>();
  const re = /;\s*(type|filename|headers|encoder)=("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    params.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
  }
  return { value, params };
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function readPart(
  form: { value: string; literal: boolean },
  readFile: ReadFile | undefined,
  warnings: string[],
): FormPart | null {
  const eq = form.value.indexOf('=');
  if (eq < 0) {
    warnings.push(`-F "${form.value}" has no "name=": ignored`);
    return null;
  }
  const name = form.value.slice(0, eq);
  const content = form.value.slice(eq + 1);
  if (form.literal) return { name, data: wordBytes(content), filename: null, type: null };
  const fromFile = content.startsWith('@') || content.startsWith('<');
  const { value, params } = splitParams(fromFile ? content.slice(1) : content);
  if (params.has('headers') || params.has('encoder')) {
    warnings.push(`-F "${name}": headers=/encoder= are not reproduced`);
  }
  if (!fromFile) {
    return { name, data: wordBytes(value), filename: null, type: params.get('type') ?? null };
  }
  const data = readFile?.(value) ?? null;
  if (!data) warnings.push(`-F "${name}": file "${value}" could not be read; part left empty`);
  if (content.startsWith('<')) {
    return {
      name,
      data: data ?? new Uint8Array(0),
      filename: null,
      type: params.get('type') ?? null,
    };
  }
  const filename = params.get('filename') ?? basename(value);
  const ext = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return {
    name,
    data: data ?? new Uint8Array(0),
    filename,
    type: params.get('type') ?? TYPES_BY_EXTENSION[ext] ?? 'application/octet-stream',
  };
}

export function buildMultipart(
  forms: Array<{ value: string; literal: boolean }>,
  boundary: string,
  readFile: ReadFile | undefined,
  warnings: string[],
): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const form of forms) {
    const part = readPart(form, readFile, warnings);
    if (!part) continue;
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== null) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    chunks.push(wordBytes(head + '\r\n'), part.data, utf8Bytes('\r\n'));
  }
  chunks.push(utf8Bytes(`--${boundary}--\r\n`));
  return concatBytes(chunks);
}
