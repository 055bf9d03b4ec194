/**
 * "Copy as cURL": a command that makes curl send the recorded request again — method,
 * URL, headers in order, body via --data-binary — for POSIX shells (exact bytes), and for
 * Windows cmd and PowerShell (text bodies; binary bodies go through a file).
 *
 * Exactness on POSIX: every header is passed with -H, and the defaults curl would add on
 * its own (User-Agent, Accept, Content-Type for data, Expect for large bodies, Host) are
 * switched off with `-H 'Name:'` when the original did not have them. `--path-as-is`
 * keeps dot segments; an unusual request target goes through --request-target. Known
 * differences: curl always writes Host first, and a chunked body is re-chunked by curl.
 */
import { splitMessage } from '../http/split-message';
import { dechunk } from '../http/framing';
import { latin1Bytes, strictUtf8, toBase64, utf8Bytes } from './bytes';
import { printfFormat, quoteCmd, quotePosix, quotePowerShell } from './shell-quote-words';

export type CurlPlatform = 'posix' | 'cmd' | 'powershell';

export interface ToCurlInput {
  /** The request bytes as recorded (start line, headers, body). */
  requestRaw: Uint8Array;
  /** Where it was sent; else taken from an absolute-form target or the Host header. */
  scheme?: string;
  host?: string;
  port?: number;
}

export interface ToCurlOptions {
  platform?: CurlPlatform;
  /** Adds -k (skip certificate verification). Only when asked. */
  insecure?: boolean;
}

/** curl adds Expect: 100-continue for bodies from 1 MiB. */
const EXPECT_THRESHOLD = 1024 * 1024;
const DEFAULTS_TO_SWITCH_OFF = ['User-Agent', 'Accept'];

interface Arg {
  /** Bytes of the word as curl must receive it. */
  word: Uint8Array;
  /** Starts a new line in the pretty output. */
  newline?: boolean;
}

const w = (text: string, newline = false): Arg => ({ word: utf8Bytes(text), newline });

function authorityFor(host: string, port: number, scheme: string): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === (scheme === 'https' ? 443 : 80) ? h : `${h}:${port}`;
}

export function toCurl(input: ToCurlInput | Uint8Array, options: ToCurlOptions = {}): string {
  const source = input instanceof Uint8Array ? { requestRaw: input } : input;
  const raw = source.requestRaw;
  const split = splitMessage(raw, 'request');
  const method = split.method ?? 'GET';
  const target = split.target ?? '/';
  const headers = split.headers;
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name.toLowerCase());
  let body = raw.subarray(split.body.start, split.body.end);
  if (split.framing === 'chunked') body = dechunk(body).payload;

  let url: string;
  let requestTarget: string | null = null;
  if (/^https?:\/\//i.test(target)) {
    url = target;
    requestTarget = target; // keep absolute-form exactly as recorded
  } else {
    const scheme = source.scheme === 'https' ? 'https' : 'http';
    const hostHeader = headers.find(([n]) => n.toLowerCase() === 'host')?.[1];
    const authority =
      source.host !== undefined
        ? authorityFor(source.host, source.port ?? (scheme === 'https' ? 443 : 80), scheme)
        : (hostHeader ?? 'localhost');
    const simple = /^\/[\x21-\x7e]*$/.test(target) && !target.includes('#');
    url = `${scheme}://${authority}${simple ? target : '/'}`;
    if (!simple) requestTarget = target;
  }

  const args: Arg[] = [w('curl'), w('--http1.1'), w('--path-as-is')];
  const hasBody = body.length > 0 || has('content-length') || has('transfer-encoding');
  if (method === 'HEAD' && !hasBody) args.push(w('--head'));
  else if (!(method === 'GET' && !hasBody) && !(method === 'POST' && hasBody)) {
    args.push(w('-X'), w(method));
  }
  if (options.insecure) args.push(w('-k'));
  args.push({ word: utf8Bytes(url) });
  if (requestTarget !== null)
    args.push(w('--request-target', true), { word: latin1Bytes(requestTarget) });
  for (const [name, value] of headers) {
    args.push(w('-H', true), {
      word: latin1Bytes(value === '' ? `${name};` : `${name}: ${value}`),
    });
  }
  const off = [...DEFAULTS_TO_SWITCH_OFF, 'Host'];
  if (hasBody) off.push('Content-Type');
  if (body.length >= EXPECT_THRESHOLD) off.push('Expect');
  for (const name of off) if (!has(name)) args.push(w('-H', true), w(`${name}:`));

  const platform = options.platform ?? 'posix';
  if (platform === 'posix') return renderPosix(args, hasBody ? body : null);
  return renderWindows(args, hasBody ? body : null, platform);
}

function renderPosix(args: Arg[], body: Uint8Array | null): string {
  let prefix = '';
  const all = [...args];
  if (body !== null) {
    if (body.includes(0)) {
      // A NUL cannot live in a shell word: feed the body on standard input.
      prefix = `printf ${printfFormat(body)} | `;
      all.push(w('--data-binary', true), w('@-'));
    } else {
      all.push(w('--data-binary', true), { word: body });
    }
  }
  return (
    prefix +
    joinLines(
      all.map((a) => ({ text: quotePosix(a.word), newline: a.newline })),
      ' \\',
    )
  );
}

function renderWindows(
  args: Arg[],
  body: Uint8Array | null,
  platform: 'cmd' | 'powershell',
): string {
  const quote = platform === 'cmd' ? quoteCmd : quotePowerShell;
  const text = (bytes: Uint8Array) => strictUtf8(bytes) ?? String.fromCharCode(...bytes);
  const words = args.map((a, i) => ({
    text:
      i === 0
        ? 'curl.exe'
        : /^[A-Za-z0-9_@+=:,./-]+$/.test(text(a.word))
          ? text(a.word)
          : quote(text(a.word)),
    newline: a.newline,
  }));
  let prefix = '';
  if (body !== null) {
    const asText = strictUtf8(body);
    // Binary bodies (and NULs, which no Windows argument can carry) go through a file.
    if (asText === null || body.includes(0) || (platform === 'cmd' && /[\r\n]/.test(asText))) {
      words.push(
        { text: '--data-binary', newline: true },
        { text: quote('@request-body.bin'), newline: false },
      );
      prefix =
        platform === 'powershell'
          ? `[IO.File]::WriteAllBytes("$PWD\\request-body.bin", [Convert]::FromBase64String('${toBase64(body)}'))\n`
          : `REM Save the request body (base64 below, decode with certutil -decode) as request-body.bin\nREM ${toBase64(body)}\n`;
    } else {
      words.push({ text: '--data-binary', newline: true }, { text: quote(asText), newline: false });
    }
  }
  return prefix + joinLines(words, platform === 'cmd' ? ' ^' : ' `');
}

function joinLines(
  words: Array<{ text: string; newline?: boolean }>,
  continuation: string,
): string {
  let out = '';
  for (const { text, newline } of words) {
    if (out === '') out = text;
    else if (newline) out += `${continuation}\n  ${text}`;
    else out += ` ${text}`;
  }
  return out;
}
