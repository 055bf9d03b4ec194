/**
 * The parts of a URL as curl uses them to build a request: it guesses `http://` when no
 * scheme is given, drops the fragment, removes dot segments (unless --path-as-is), and
 * sends `Host: host[:port]` with the port only when it is not the scheme's default.
 */

export interface CurlUrl {
  scheme: 'http' | 'https';
  /** Host as written (IPv6 without brackets). */
  host: string;
  port: number;
  /** Port written explicitly in the URL. */
  explicitPort: boolean;
  /** Path + query, as sent in the request line (origin-form). */
  target: string;
  userinfo: string | null;
}

export class CurlUrlError extends Error {
  readonly code = 'CURL_BAD_URL';
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..' && out.length > 1) out.pop();
      if (last) out.push('');
    } else {
      out.push(seg);
    }
  }
  return out.join('/');
}

export function parseCurlUrl(text: string, pathAsIs: boolean): CurlUrl {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(text);
  if (!m) throw new CurlUrlError(`cannot read URL "${text}"`);
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new CurlUrlError(`unsupported URL scheme "${scheme}" (only http and https)`);
  }
  let authority = m[2];
  let userinfo: string | null = null;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw new CurlUrlError(`unclosed IPv6 address in "${text}"`);
    host = authority.slice(1, close);
    const rest = authority.slice(close + 1);
    if (rest && !rest.startsWith(':')) throw new CurlUrlError(`cannot read host in "${text}"`);
    portText = rest ? rest.slice(1) : undefined;
  } else {
    const colon = authority.lastIndexOf(':');
    host = colon >= 0 ? authority.slice(0, colon) : authority;
    portText = colon >= 0 ? authority.slice(colon + 1) : undefined;
  }
  if (!host) throw new CurlUrlError(`no host in URL "${text}"`);
  if (/[\s]/.test(text)) throw new CurlUrlError(`URL contains whitespace: "${text}"`);
  const defaultPort = scheme === 'https' ? 443 : 80;
  let port = defaultPort;
  if (portText) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new CurlUrlError(`bad port "${portText}" in URL "${text}"`);
    }
    port = Number(portText);
  }
  let path = m[3] || '/';
  if (!pathAsIs) path = removeDotSegments(path);
  return {
    scheme,
    host,
    port,
    explicitPort: portText !== undefined && portText !== '',
    target: path + (m[4] ?? ''),
    userinfo,
  };
}

/** The Host header value curl sends for this URL. */
export function hostHeaderFor(url: CurlUrl): string {
  const host = url.host.includes(':') ? `[${url.host}]` : url.host;
  const defaultPort = url.scheme === 'https' ? 443 : 80;
  return url.port === defaultPort ? host : `${host}:${url.port}`;
}
