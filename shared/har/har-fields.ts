/** Small HAR field builders: cookies, query strings, timings. */
import type { RawHeaders, Timings } from '../model/exchange';
import type { HarCookie, HarNameValue, HarTimings } from './har-types';

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The query string of a URL as HAR name/value pairs (decoded, order kept). */
export function queryStringOf(url: string): HarNameValue[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  if (!query) return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0
      ? { name: safeDecode(pair), value: '' }
      : { name: safeDecode(pair.slice(0, eq)), value: safeDecode(pair.slice(eq + 1)) };
  });
}

/** Cookies sent in `Cookie` request headers. */
export function requestCookies(headers: RawHeaders): HarCookie[] {
  const out: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const piece of value.split(';')) {
      const p = piece.trim();
      if (!p) continue;
      const eq = p.indexOf('=');
      out.push(eq < 0 ? { name: p, value: '' } : { name: p.slice(0, eq), value: p.slice(eq + 1) });
    }
  }
  return out;
}

/** Cookies set by `Set-Cookie` response headers, with the attributes HAR names. */
export function responseCookies(headers: RawHeaders): HarCookie[] {
  const out: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    const [first, ...attrs] = value.split(';');
    const eq = first.indexOf('=');
    const cookie: HarCookie =
      eq < 0
        ? { name: first.trim(), value: '' }
        : { name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
    for (const attr of attrs) {
      const [k, ...rest] = attr.split('=');
      const key = k.trim().toLowerCase();
      const v = rest.join('=').trim();
      if (key === 'path') cookie.path = v;
      else if (key === 'domain') cookie.domain = v;
      else if (key === 'expires') {
        const t = Date.parse(v);
        if (!Number.isNaN(t)) cookie.expires = new Date(t).toISOString();
      } else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'secure') cookie.secure = true;
    }
    out.push(cookie);
  }
  return out;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const span = (a?: number, b?: number) =>
  a !== undefined && b !== undefined && b >= a ? round(b - a) : -1;

/**
 * Absolute marks → HAR phases. HAR's `connect` includes `ssl`; `send`, `wait` and
 * `receive` must be non-negative, so unknown ones are 0; optional ones are -1.
 */
export function harTimings(t: Timings): { timings: HarTimings; time: number } {
  const dns = span(t.dnsStart, t.dnsEnd);
  const connect = span(t.connectStart, t.tlsEnd ?? t.connectEnd);
  const ssl = span(t.tlsStart, t.tlsEnd);
  const firstPhase = t.dnsStart ?? t.connectStart;
  const blocked = firstPhase !== undefined ? span(t.start, firstPhase) : -1;
  const sendFrom = t.tlsEnd ?? t.connectEnd ?? t.start;
  const send = Math.max(0, span(sendFrom, t.requestEnd));
  const wait = Math.max(0, span(t.requestEnd ?? sendFrom, t.responseStart));
  const receive = Math.max(0, span(t.responseStart, t.responseEnd));
  const timings: HarTimings = { blocked, dns, connect, ssl, send, wait, receive };
  const time = [blocked, dns, connect, send, wait, receive].reduce((a, b) => a + Math.max(0, b), 0);
  return { timings, time: round(time) };
}

/**
 * HAR phases → absolute marks from `start`. Missing or negative phases (Charles,
 * Safari and Insomnia write -1; some tools write garbage) are treated as absent.
 */
export function timingsFromHar(
  start: number,
  h: Partial<Record<keyof HarTimings, unknown>>,
): Timings {
  const ok = (v: unknown): number | null =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
  const t: Timings = { start };
  let at = start + (ok(h.blocked) ?? 0);
  const dns = ok(h.dns);
  if (dns !== null) {
    t.dnsStart = at;
    at += dns;
    t.dnsEnd = at;
  }
  const connect = ok(h.connect);
  if (connect !== null) {
    t.connectStart = at;
    const ssl = ok(h.ssl);
    if (ssl !== null && ssl <= connect) {
      t.tlsStart = at + connect - ssl;
      t.tlsEnd = at + connect;
      t.connectEnd = t.tlsStart;
      at += connect;
    } else {
      t.connectEnd = at + connect;
      at += connect;
      // ssl > connect: the exporter (mitmproxy) counted TLS apart from connect.
      if (ssl !== null) {
        t.tlsStart = at;
        at += ssl;
        t.tlsEnd = at;
      }
    }
  }
  at += ok(h.send) ?? 0;
  t.requestEnd = at;
  at += ok(h.wait) ?? 0;
  t.responseStart = at;
  at += ok(h.receive) ?? 0;
  t.responseEnd = at;
  return t;
}
