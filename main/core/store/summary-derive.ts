/**
 * How the list row (ExchangeSummary) is derived from what a writer received: the request
 * start line and Host header, the response status line and Content-Type.
 */
import type { RawHeaders } from '../../../shared/model/exchange';

export interface RequestView {
  method: string;
  path: string;
  /** Set when the request itself says where it goes (absolute-form, authority-form, Host). */
  host?: string;
  port?: number;
  scheme?: string;
}

const ABSOLUTE_FORM = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/;

export function defaultPort(scheme: string): number {
  return scheme === 'https' || scheme === 'wss' ? 443 : 80;
}

/** Splits `host`, `host:port`, `[v6]` or `[v6]:port`; a bad port leaves `port` undefined. */
export function splitAuthority(authority: string): { host: string; port?: number } {
  let host = authority;
  let portText: string | undefined;
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1); // userinfo is not part of the host
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close > 0) {
      portText = host[close + 1] === ':' ? host.slice(close + 2) : undefined;
      host = host.slice(1, close);
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && host.indexOf(':') === colon) {
      portText = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  const port = portText && /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
  return { host: host.toLowerCase(), port: port !== undefined && port <= 65535 ? port : undefined };
}

export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  // Lengths first: no lower-cased copy of every other header name.
  for (const [n, v] of headers)
    if (n.length === lower.length && n.toLowerCase() === lower) return v;
  return undefined;
}

/** Reads method, target and destination from a request head (never throws). */
export function viewRequest(startLine: string, headers: RawHeaders): RequestView {
  let method: string;
  let target: string;
  const a = startLine.indexOf(' ');
  const b = a > 0 ? startLine.indexOf(' ', a + 1) : -1;
  const first = startLine.charCodeAt(0);
  if (b > a + 1 && first > 0x20 && first < 0x7f && startLine.indexOf('\t') < 0) {
    // The usual `METHOD SP target SP version`: the same two words as the split below,
    // without its regular expression and array (this runs for every recorded request).
    method = startLine.slice(0, a);
    target = startLine.slice(a + 1, b);
  } else {
    const parts = startLine.trim().split(/[ \t]+/);
    method = parts[0] ?? '';
    target = parts[1] ?? '';
  }
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute) {
    const scheme = absolute[1].toLowerCase();
    const { host, port } = splitAuthority(absolute[2]);
    return { method, path: absolute[3] || '/', host, port: port ?? defaultPort(scheme), scheme };
  }
  if (method.toUpperCase() === 'CONNECT') {
    const { host, port } = splitAuthority(target);
    return { method, path: target, host, port };
  }
  const hostHeader = headerValue(headers, 'host');
  if (hostHeader !== undefined && hostHeader.trim() !== '') {
    const { host, port } = splitAuthority(hostHeader.trim());
    return { method, path: target, host, port };
  }
  return { method, path: target };
}

/** The status code of a status line, or null when there is none. */
export function statusOf(startLine: string): number | null {
  // The usual `HTTP/1.x NNN …` without the regular expression (same result).
  if (
    startLine.startsWith('HTTP/1.') &&
    isDigit(startLine.charCodeAt(7)) &&
    startLine.charCodeAt(8) === 0x20 &&
    isDigit(startLine.charCodeAt(9)) &&
    isDigit(startLine.charCodeAt(10)) &&
    isDigit(startLine.charCodeAt(11)) &&
    (startLine.length === 12 || startLine.charCodeAt(12) === 0x20)
  ) {
    return Number(startLine.slice(9, 12));
  }
  const match = /^\S+[ \t]+(\d{3})(?:\s|$)/.exec(startLine);
  return match ? Number(match[1]) : null;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A display URL. Tunnels and CONNECT show their authority (`host:port`). */
export function displayUrl(scheme: string, host: string, port: number, path: string): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if (scheme === 'tunnel') return `${hostPart}:${port}`;
  const portPart = port === defaultPort(scheme) || port === 0 ? '' : `:${port}`;
  const pathPart = path === '' || path.startsWith('/') || path === '*' ? path : `/${path}`;
  return `${scheme}://${hostPart}${portPart}${pathPart === '*' ? '' : pathPart}`;
}
