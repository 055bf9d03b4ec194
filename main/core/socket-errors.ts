/**
 * Plain words for the system error codes a connection or a name lookup fails with, for the
 * proxy's 502 pages and the sender's errors: "connection refused" tells a user more than
 * ECONNREFUSED. The code stays in front so it can still be searched for.
 */
const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens on that port',
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

/** e.g. `ECONNREFUSED (connection refused: nothing listens on that port)`; others as they are. */
export function describeSocketError(code: string): string {
  const words = WORDS[code];
  return words ? `${code} (${words})` : code;
}
