/**
 * Who may talk to the web mode. The API can make this machine send arbitrary requests
 * (the sender), so an unauthenticated or cross-site call is an SSRF gun:
 * - the per-run token must accompany every API call and the WebSocket upgrade;
 * - the Host header must name the address we listen on — a page on evil.example whose
 *   name was re-pointed at 127.0.0.1 (DNS rebinding) arrives with Host evil.example;
 * - a browser's Origin header, when sent, must be our own origin (CSRF, cross-site
 *   WebSocket hijacking).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** 192 random bits, URL-safe (base64url: A–Z a–z 0–9 - _). */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export const TOKEN_HEADER = 'x-wirelens-token';

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export interface GuardOptions {
  token: string;
  /** The address the server is bound to (host as given, actual port). */
  host: string;
  port: number;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** `[::1]` and `::1` are the same host; Host headers use the bracketed form. */
function bracket(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Splits a Host header value into name and port (`[::1]:8081`, `localhost:8081`). */
function splitHost(value: string): { name: string; port: string } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return null;
  return { name: match[1].toLowerCase(), port: match[2] ?? '80' };
}

export function createGuard(options: GuardOptions) {
  const expected = Buffer.from(options.token, 'utf8');
  const bound = bracket(options.host.toLowerCase());

  /** Is this Host (name:port) one this server answers to? */
  const hostAllowed = (value: string | undefined): boolean => {
    if (!value) return false;
    const parts = splitHost(value);
    if (!parts || parts.port !== String(options.port)) return false;
    if (parts.name === bound) return true;
    if (isLoopback(options.host)) return LOOPBACK_NAMES.has(parts.name);
    // Bound to every interface on purpose: accept IP literals (the LAN address) but no
    // names, since names are what DNS rebinding controls.
    if (isWildcard(options.host)) {
      return LOOPBACK_NAMES.has(parts.name) || isIP(parts.name.replace(/^\[|\]$/g, '')) !== 0;
    }
    return false;
  };

  const originAllowed = (origin: string | undefined): boolean => {
    if (origin === undefined) return true; // Not a browser (curl, tests): the token decides.
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // Includes the opaque "null" origin of sandboxed frames and files.
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && hostAllowed(url.host);
  };

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const given = Buffer.from(candidate, 'utf8');
    // Constant time, so the token cannot be guessed byte by byte from response times.
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return {
    hostAllowed,
    /** Host and Origin: applies to every request, static files included. */
    checkSite(req: IncomingMessage): GuardVerdict {
      if (!hostAllowed(req.headers.host)) {
        return { ok: false, status: 403, reason: 'Host not allowed.' };
      }
      if (!originAllowed(req.headers.origin)) {
        return { ok: false, status: 403, reason: 'Cross-origin request refused.' };
      }
      return { ok: true };
    },
    /** The token, from `?token=` or the X-Wirelens-Token header. */
    checkToken(req: IncomingMessage): GuardVerdict {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      const header = req.headers[TOKEN_HEADER];
      const fromHeader = Array.isArray(header) ? header[0] : header;
      if (tokenMatches(url.searchParams.get('token')) || tokenMatches(fromHeader)) {
        return { ok: true };
      }
      return { ok: false, status: 401, reason: 'Missing or wrong access token.' };
    },
  };
}

export type RequestGuard = ReturnType<typeof createGuard>;
