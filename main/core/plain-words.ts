/**
 * Plain words for a stable error code, with the code kept after them so it can still be
 * searched for: "the certificate has expired (CERT_HAS_EXPIRED)". Unknown codes are
 * returned as they are. Used for the proxy's 502 pages and the sender's errors.
 */
export function inPlainWords(words: Readonly<Record<string, string>>, code: string): string {
  const text = words[code];
  return text ? `${text} (${code})` : code;
}
