/**
 * Puts ./loopback-dns.mjs into NODE_OPTIONS, so that the test runner's workers and every
 * Node process a test starts (the CLI, proxy children) load it first. Called by the vitest
 * and Playwright configs before any worker starts.
 */
export function keepLookupsOnThisMachine(): void {
  const guard = new URL('./loopback-dns.mjs', import.meta.url).href;
  const flag = `--import=${guard}`;
  const current = process.env.NODE_OPTIONS ?? '';
  if (!current.includes(flag)) process.env.NODE_OPTIONS = `${current} ${flag}`.trim();
}
