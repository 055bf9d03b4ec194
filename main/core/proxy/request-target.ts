/**
 * Where a request goes (RFC 9112 §3.2): absolute-form (`GET http://h:p/x`), origin-form
 * with a Host header (or inside a CONNECT tunnel: the tunnel's target), authority-form for
 * CONNECT. Parsed by hand, not with `URL`, because `URL` normalises (case, dots, percent
 * escapes) and the bytes forwarded must be the ones the client sent.
 */
import type { RawHeaders } from '../../../shared/model/exchange';
import type { UpstreamTarget } from './upstream-connect';

export interface RequestTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** `host[:port]` as it should appear in Host (as written in the absolute-form target). */
  authority: string;
  /** The path + query to put on the forwarded request line. */
  originForm: string;
  /** Whether the client used absolute-form (then Host is replaced, RFC 9112 §3.2.2). */
  absolute: boolean;
}

export type TargetResult = { ok: true; target: RequestTarget } | { ok: false; reason: string };

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

/** Splits `host:port` / `[v6]:port` / `host`. Returns null when malformed. */
export function splitAuthority(
  authority: string,
  defaultPort: number | null,
): { host: string; port: number } | null {
  // RFC 9110 §4.2.4: userinfo is treated as an error; `http://good@evil/` hides the host.
  if (authority.includes('@')) return null;
  const hostPort = authority;
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return null;
    host = hostPort.slice(1, close);
    const rest = hostPort.slice(close + 1);
    if (rest && !rest.startsWith(':')) return null;
    portText = rest ? rest.slice(1) : undefined;
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }
  if (!host || /[\s/\\?#]/.test(host)) return null;
  let port: number;
  if (portText === undefined || portText === '') {
    if (defaultPort === null) return null;
    port = defaultPort;
  } else {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
  }
  if (port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}

function headerValue(headers: RawHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v.trim();
  return undefined;
}

type TargetContext = {
  scheme: 'http' | 'https';
  connectTarget?: { host: string; port: number };
};

/** RFC 9112 §3.2: more than one Host is an error; which one would the origin believe? */
function hasManyHosts(headers: RawHeaders): boolean {
  let hosts = 0;
  // A loop, not filter(): this runs for every request (no closure, no array).
  for (let i = 0; i < headers.length; i++) {
    const n = headers[i][0];
    if (n.length === 4 && n.toLowerCase() === 'host') hosts++;
  }
  return hosts > 1;
}

export function resolveRequestTarget(
  target: string,
  headers: RawHeaders,
  context: TargetContext,
): TargetResult {
  if (hasManyHosts(headers)) return { ok: false, reason: 'more than one Host header' };
  const abs = ABSOLUTE.exec(target);
  if (abs) {
    const scheme = abs[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      return { ok: false, reason: `unsupported scheme "${abs[1]}" in the request target` };
    }
    if (abs[2].includes('@')) {
      return {
        ok: false,
        reason: `userinfo ("…@") in the request target "${target}": it can hide the real host, so it is refused`,
      };
    }
    const where = splitAuthority(abs[2], scheme === 'https' ? 443 : 80);
    if (!where) return { ok: false, reason: `malformed host in the request target "${target}"` };
    const rest = abs[3];
    const originForm = rest === '' ? '/' : rest.startsWith('?') ? '/' + rest : rest;
    const authority = abs[2];
    const { host, port } = where;
    return { ok: true, target: { scheme, host, port, authority, originForm, absolute: true } };
  }
  if (!target.startsWith('/') && target !== '*') {
    return { ok: false, reason: `malformed request target "${target}"` };
  }
  const defaultPort = context.scheme === 'https' ? 443 : 80;
  const hostHeader = headerValue(headers, 'host');
  if (context.connectTarget) {
    // Inside a tunnel the tunnel decides where bytes go; Host is only the client's claim.
    const { host, port } = context.connectTarget;
    const authority = hostHeader ?? (port === defaultPort ? host : `${host}:${port}`);
    return {
      ok: true,
      target: {
        scheme: context.scheme,
        host,
        port,
        authority,
        originForm: target,
        absolute: false,
      },
    };
  }
  if (hostHeader === undefined || hostHeader === '') {
    return { ok: false, reason: 'origin-form request without a Host header' };
  }
  const where = splitAuthority(hostHeader, defaultPort);
  if (!where) return { ok: false, reason: `malformed Host header "${hostHeader}"` };
  return {
    ok: true,
    target: {
      scheme: context.scheme,
      ...where,
      authority: hostHeader,
      originForm: target,
      absolute: false,
    },
  };
}

/** Display URL of a request (for logs and summaries). */
export function displayUrl(t: RequestTarget): string {
  return `${t.scheme}://${t.authority}${t.originForm === '*' ? '' : t.originForm}`;
}

/** A resolved target with what each exchange to it needs, computed once. */
export interface ResolvedTarget {
  target: RequestTarget;
  /** displayUrl(target) */
  url: string;
  upstream: UpstreamTarget;
}

/**
 * resolveRequestTarget for one client connection, keeping the last absolute-form result:
 * a keep-alive client usually sends the same target again (same text, same result; an
 * absolute-form result depends on nothing else but the Host count, checked every time).
 */
export class TargetResolver {
  private lastText: string | null = null;
  private last: ResolvedTarget | null = null;

  constructor(private readonly context: TargetContext) {}

  /** The resolved target, or why the request cannot be forwarded. */
  resolve(text: string, headers: RawHeaders): ResolvedTarget | string {
    if (text === this.lastText && !hasManyHosts(headers)) return this.last!;
    const r = resolveRequestTarget(text, headers, this.context);
    if (!r.ok) return r.reason;
    const t = r.target;
    const upstream = { host: t.host, port: t.port, tls: t.scheme === 'https' };
    const resolved = { target: t, url: displayUrl(t), upstream };
    if (t.absolute) {
      this.lastText = text;
      this.last = resolved;
    }
    return resolved;
  }
}
