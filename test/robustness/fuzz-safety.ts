/**
 * The fuzz run may only ever make the proxy connect to the test origin (loopback). A
 * mutation can rewrite a target or Host into any name or address, so each case is parsed
 * with the same strict parser the proxy uses, and a case is sent only if every request the
 * proxy could accept from it targets `allowed` (or is refused before any connection).
 */
import { HttpParser } from '../../shared/http/http-parser';
import type { ParsedHead } from '../../shared/http/parser-types';

function authorityOf(head: ParsedHead): string | null {
  if (head.method === 'CONNECT') return null;
  const target = head.target ?? '';
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target);
  if (absolute) return absolute[1].toLowerCase();
  const hosts = head.headers.filter(([name]) => name.toLowerCase() === 'host');
  return hosts.length === 1 ? hosts[0][1].trim().toLowerCase() : null;
}

/** True when every request parsed from `bytes` (strictly) targets one of `allowed`. */
export function targetsOnly(bytes: Uint8Array, allowed: string[]): boolean {
  let safe = true;
  const parser = new HttpParser(
    { kind: 'request', mode: 'strict' },
    {
      onHead: (head) => {
        const authority = authorityOf(head);
        if (authority === null || !allowed.includes(authority)) safe = false;
      },
      onMessageEnd: () => undefined,
      onError: () => undefined,
      onTunnelData: () => undefined,
    },
  );
  parser.push(bytes);
  parser.end();
  return safe;
}
