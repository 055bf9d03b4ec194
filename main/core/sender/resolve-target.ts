/**
 * Where a request goes. The target is separate from the Host header (a request may carry
 * any Host to any address); when the caller names none, it comes from the request itself:
 * an absolute-form URL, else the Host header. No target at all is an error, not a guess.
 */
import { ERROR_CODES, type SendTarget } from '../../../shared/api/inspector-api';
import type { RawHeaders } from '../../../shared/model/exchange';
import { headerValues } from './request-head';
import { SenderError } from './sender-error';

export interface TargetHints {
  /** Force TLS on/off (e.g. `wirelens send --tls`); default: from the URL scheme, else off. */
  tls?: boolean;
  servername?: string;
  verify?: boolean;
}

export function targetFromRequest(
  request: { method: string; requestTarget: string; headers: RawHeaders },
  hints: TargetHints = {},
): SendTarget {
  const absolute = /^([a-z][a-z0-9+.-]*):\/\//i.exec(request.requestTarget);
  let authority: string | undefined;
  let tls = hints.tls ?? false;
  if (absolute) {
    const scheme = absolute[1].toLowerCase();
    authority = request.requestTarget.slice(absolute[0].length).split(/[/?#]/, 1)[0];
    authority = authority.slice(authority.lastIndexOf('@') + 1);
    tls = hints.tls ?? (scheme === 'https' || scheme === 'wss');
  } else if (request.method.toUpperCase() === 'CONNECT') {
    authority = request.requestTarget;
  } else {
    authority = headerValues(request.headers, 'host')[0];
  }
  if (!authority) {
    throw new SenderError(
      ERROR_CODES.SEND_NO_TARGET,
      'no target: give one (host and port), or use an absolute URL or a Host header in the request',
    );
  }
  const { host, port } = parseHostPort(authority, tls ? 443 : 80);
  return withHints({ host, port, tls }, hints);
}

export function withHints(target: SendTarget, hints: TargetHints): SendTarget {
  const out: SendTarget = { ...target };
  if (hints.servername !== undefined) out.servername = hints.servername;
  if (hints.verify !== undefined) out.verify = hints.verify;
  return out;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`. A bare IPv6 address without brackets is taken whole. */
export function parseHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const value = text.trim();
  let host = value;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if (value.indexOf(':') === value.lastIndexOf(':') && value.includes(':')) {
    host = value.slice(0, value.indexOf(':'));
    portText = value.slice(value.indexOf(':') + 1);
  }
  if (!host) throw new SenderError(ERROR_CODES.SEND_NO_TARGET, `no host in "${text}"`);
  const port = portText === undefined || portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !/^\d*$/.test(portText ?? '')) {
    throw new SenderError(ERROR_CODES.INVALID_ARGUMENT, `bad port in "${text}"`);
  }
  return { host, port };
}

export function checkTarget(target: SendTarget): SendTarget {
  if (!target || !target.host) throw new SenderError(ERROR_CODES.SEND_NO_TARGET, 'no target host');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new SenderError(ERROR_CODES.INVALID_ARGUMENT, `bad target port: ${target.port}`);
  }
  return target;
}

/** `host:port` for messages, with IPv6 brackets. */
export function describeTarget(target: SendTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.tls ? 'https' : 'http'}://${host}:${target.port}`;
}
