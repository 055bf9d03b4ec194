/**
 * Plain words for the system error codes a connection or a name lookup fails with, for the
 * proxy's 502 pages and the sender's errors: "connection refused" tells a user more than
 * ECONNREFUSED (see ../plain-words.ts).
 */
import { inPlainWords } from './plain-words';

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused, nothing listens on that port',
  ECONNRESET: 'connection reset by the other side',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'the other side closed the connection',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  EADDRNOTAVAIL: 'the address is not available here',
  ENOTFOUND: 'no such host name',
  EAI_AGAIN: 'the name lookup failed for now (DNS server unreachable?)',
  ENODATA: 'the name has no address',
};

/** e.g. `connection refused, nothing listens on that port (ECONNREFUSED)`. */
export function describeSocketError(code: string): string {
  return inPlainWords(WORDS, code);
}
