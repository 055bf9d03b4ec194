/** Where the tests find Chromium (Debian's; Playwright's own download is not used). */
import { existsSync } from 'node:fs';

/**
 * Chromium's own name lookups: the names a test maps, then `localhost` and IP literals;
 * every other name is "not found" inside Chromium, with no query sent. Debian's Chromium
 * talks to Google in the background (sign-in, component updates) even with background
 * networking off; the tests may reach only this machine. (Requests sent through a proxy
 * carry their names to it instead: test/support/loopback-dns.mjs covers the proxy.)
 */
export function chromiumHostRules(map: Record<string, string> = {}): string {
  const rules = Object.entries(map).map(([name, address]) => `MAP ${name} ${address}`);
  rules.push('MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.0.0.1');
  return `--host-resolver-rules=${rules.join(', ')}`;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  chromiumHostRules(),
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) {
    throw new Error(
      'Chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.',
    );
  }
  return found;
}
