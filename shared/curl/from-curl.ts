/**
 * "Import from cURL": the request bytes curl itself would send for a pasted command,
 * with curl's default headers in curl's order (as observed from curl 7.88 on the wire):
 *
 *   Host, Authorization (-u), User-Agent, Accept, Accept-Encoding (--compressed),
 *   Referer (-e), Cookie (-b), then every -H in order, then Content-Length,
 *   Content-Type (-d / -F) or Expect (-T).
 *
 * A -H naming a default header replaces it (`Name: v`) or removes it (`Name:`); a custom
 * Host stays in the Host slot; `Name;` sends an empty header. The multipart boundary and
 * the User-Agent version are the only bytes that differ from a real curl run.
 */
import type { SendTarget } from '../api/inspector-api';
import { concatBytes, latin1Text, strictUtf8, toBase64, utf8Bytes } from './bytes';
import { buildMultipart, randomBoundary, type ReadFile } from './curl-multipart';
import { readCurlArgs, type CurlSpec } from './curl-options';
import { CurlUrlError, hostHeaderFor, parseCurlUrl } from './curl-url';
import { splitCurlWords, wordBytes } from './curl-words';

/** The curl release whose behaviour (and User-Agent) is reproduced. */
export const CURL_VERSION = '7.88.1';
const COMPRESSED_ACCEPT = 'deflate, gzip, br, zstd';
/** curl asks `Expect: 100-continue` for bodies of 1 MiB and more. */
const EXPECT_THRESHOLD = 1024 * 1024;

export interface FromCurlOptions {
  /** Reads `@file` / `<file` arguments; without it they are warned about and left empty. */
  readFile?: ReadFile;
  /** Fixed multipart boundary (tests); random otherwise, like curl. */
  boundary?: string;
}

export interface FromCurlResult {
  raw: Uint8Array;
  target: SendTarget;
  warnings: string[];
}

export class CurlImportError extends Error {
  constructor(
    readonly code: 'CURL_NOT_A_COMMAND' | 'CURL_NO_URL' | 'CURL_BAD_URL',
    message: string,
  ) {
    super(message);
  }
}

/** curl's --data-urlencode escaping: unreserved bytes stay, space is `+`, others `%XX`. */
function urlencode(bytes: Uint8Array): Uint8Array {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return utf8Bytes(out);
}

function dataPart(
  item: CurlSpec['data'][number],
  readFile: ReadFile | undefined,
  warnings: string[],
): Uint8Array {
  const fromFile = (path: string, what: string): Uint8Array => {
    if (path === '-') {
      warnings.push(`${what} reads standard input, which is not available here; left empty`);
      return new Uint8Array(0);
    }
    const bytes = readFile?.(path) ?? null;
    if (!bytes) warnings.push(`${what}: file "${path}" could not be read; left empty`);
    return bytes ?? new Uint8Array(0);
  };
  const v = item.value;
  switch (item.kind) {
    case 'raw':
      return wordBytes(v);
    case 'binary':
    case 'json':
      return v.startsWith('@') ? fromFile(v.slice(1), '--data-binary') : wordBytes(v);
    case 'ascii': {
      if (!v.startsWith('@')) return wordBytes(v);
      // -d @file strips carriage returns and newlines, as curl does.
      return fromFile(v.slice(1), '-d').filter((b) => b !== 0x0a && b !== 0x0d);
    }
    case 'urlencode': {
      const eq = v.indexOf('=');
      const at = v.indexOf('@');
      if (at >= 0 && (eq < 0 || at < eq)) {
        const content = urlencode(fromFile(v.slice(at + 1), '--data-urlencode'));
        return at === 0 ? content : concatBytes([wordBytes(v.slice(0, at) + '='), content]);
      }
      if (eq < 0) return urlencode(wordBytes(v));
      const encoded = urlencode(wordBytes(v.slice(eq + 1)));
      return eq === 0 ? encoded : concatBytes([wordBytes(v.slice(0, eq + 1)), encoded]);
    }
  }
}

function joinAmp(parts: Uint8Array[]): Uint8Array {
  const amp = utf8Bytes('&');
  return concatBytes(parts.flatMap((p, i) => (i === 0 ? [p] : [amp, p])));
}

interface Header {
  name: string;
  value: string;
}

/** Splits a -H value into a header to send, a removal (`Name:`), or nothing. */
function readCustomHeader(raw: string): { name: string; value: string | null } | null {
  const colon = raw.indexOf(':');
  if (colon > 0) {
    const value = raw.slice(colon + 1).replace(/^[ \t]+/, '');
    return { name: raw.slice(0, colon).trim(), value: value === '' ? null : value };
  }
  if (raw.endsWith(';') && raw.length > 1) return { name: raw.slice(0, -1).trim(), value: '' };
  return null;
}

export function fromCurl(command: string, options: FromCurlOptions = {}): FromCurlResult {
  const { words, warnings } = splitCurlWords(command);
  if (words.length === 0 || !/^curl(\.exe)?$/i.test(words[0].split(/[\\/]/).pop() ?? '')) {
    throw new CurlImportError(
      'CURL_NOT_A_COMMAND',
      'not a curl command: it must start with "curl"',
    );
  }
  const spec = readCurlArgs(words.slice(1));
  warnings.push(...spec.warnings);
  if (spec.urls.length === 0)
    throw new CurlImportError('CURL_NO_URL', 'the curl command has no URL');
  if (spec.urls.length > 1) warnings.push(`${spec.urls.length} URLs given; only the first is used`);
  let url;
  try {
    url = parseCurlUrl(spec.urls[0], spec.pathAsIs);
  } catch (error) {
    if (error instanceof CurlUrlError) throw new CurlImportError('CURL_BAD_URL', error.message);
    throw error;
  }

  let body: Uint8Array | null = null;
  let contentType: string | null = null;
  let target = url.target;
  if (spec.forms.length > 0) {
    if (spec.data.length > 0)
      warnings.push('curl refuses -F together with -d; the -d data is ignored');
    const boundary = options.boundary ?? randomBoundary();
    body = buildMultipart(spec.forms, boundary, options.readFile, warnings);
    contentType = `multipart/form-data; boundary=${boundary}`;
  } else if (spec.data.length > 0) {
    const joined = joinAmp(spec.data.map((d) => dataPart(d, options.readFile, warnings)));
    if (spec.get) {
      const q = target.indexOf('?');
      const query = q >= 0 ? target.slice(q + 1) : '';
      const path = q >= 0 ? target.slice(0, q) : target;
      target = `${path}?${query ? query + '&' : ''}${strictUtf8(joined) ?? latin1Text(joined)}`;
    } else if (spec.head) {
      warnings.push('curl refuses -I together with -d (use -G); the data is ignored');
    } else {
      body = joined;
      contentType = 'application/x-www-form-urlencoded';
    }
  }
  let expect = false;
  if (spec.uploadFile !== null) {
    const bytes = options.readFile?.(spec.uploadFile) ?? null;
    if (!bytes) warnings.push(`-T: file "${spec.uploadFile}" could not be read; body left empty`);
    body = bytes ?? new Uint8Array(0);
    contentType = null;
    expect = true;
    if (target.split('?')[0].endsWith('/')) {
      target = target.replace(/^([^?]*)/, `$1${spec.uploadFile.split(/[\\/]/).pop()}`);
    }
  }
  if (body && body.length >= EXPECT_THRESHOLD) expect = true;

  const method =
    spec.method ??
    (spec.head ? 'HEAD' : spec.uploadFile !== null ? 'PUT' : body && !spec.get ? 'POST' : 'GET');
  if (spec.method && spec.head && spec.method !== 'HEAD') {
    warnings.push('curl refuses -X together with -I; -X wins here');
  }

  // Default headers in curl's order; `null` marks one a -H removed.
  const user = spec.user ?? (url.userinfo !== null ? decodeURIComponent(url.userinfo) : null);
  if (spec.user !== null && !spec.user.includes(':')) {
    warnings.push('-u without a password makes curl prompt for one; an empty password is used');
  }
  const defaults: Array<[string, string | null]> = [['Host', hostHeaderFor(url)]];
  if (user !== null) {
    const pair = user.includes(':') ? user : user + ':';
    defaults.push(['Authorization', `Basic ${toBase64(wordBytes(pair))}`]);
  }
  if (spec.userAgent !== '')
    defaults.push(['User-Agent', spec.userAgent ?? `curl/${CURL_VERSION}`]);
  defaults.push(['Accept', '*/*']);
  if (spec.compressed) defaults.push(['Accept-Encoding', COMPRESSED_ACCEPT]);
  const referer = spec.referer?.replace(/;auto$/, '') ?? '';
  if (referer) defaults.push(['Referer', referer]);
  const cookies = spec.cookies.filter((c) => {
    if (c.includes('=')) return true;
    warnings.push(`-b "${c}" names a cookie file, which is not read`);
    return false;
  });
  if (cookies.length > 0) defaults.push(['Cookie', cookies.join(';')]);
  if (body) {
    defaults.push(['Content-Length', String(body.length)]);
    if (contentType) defaults.push(['Content-Type', contentType]);
    if (expect) defaults.push(['Expect', '100-continue']);
  }

  const custom: Header[] = [];
  for (const raw of spec.headers) {
    if (raw.startsWith('@')) {
      warnings.push(`-H ${raw}: header files are not read`);
      continue;
    }
    const h = readCustomHeader(raw);
    if (!h) {
      warnings.push(`-H "${raw}" is neither "Name: value" nor "Name;"; curl ignores it`);
      continue;
    }
    const lower = h.name.toLowerCase();
    for (const d of defaults) if (d[0].toLowerCase() === lower) d[1] = null;
    if (lower === 'host') defaults[0][1] = h.value;
    else if (h.value !== null) custom.push({ name: h.name, value: h.value });
  }

  const slots = defaults.filter(([n]) => !/^(content-length|content-type|expect)$/i.test(n));
  const tail = defaults.filter(([n]) => /^(content-length|content-type|expect)$/i.test(n));
  const lines = [`${method} ${spec.requestTarget ?? target} HTTP/1.1`];
  for (const [name, value] of slots) if (value !== null) lines.push(`${name}: ${value}`);
  for (const h of custom) lines.push(h.value === '' ? `${h.name}:` : `${h.name}: ${h.value}`);
  for (const [name, value] of tail) if (value !== null) lines.push(`${name}: ${value}`);
  const head = wordBytes(lines.join('\r\n') + '\r\n\r\n');
  return {
    raw: body ? concatBytes([head, body]) : head,
    target: {
      host: url.host,
      port: url.port,
      tls: url.scheme === 'https',
      ...(spec.insecure ? { verify: false } : {}),
    },
    warnings,
  };
}
