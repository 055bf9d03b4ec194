import { readFileSync } from 'node:fs';

/** The version from package.json (read at run time so it never drifts). */
export function readVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
