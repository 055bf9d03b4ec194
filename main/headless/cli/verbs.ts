/** The registry of CLI verbs. Each verb's code lives in its own `verb-<name>.ts`. */

export interface Verb {
  name: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Lazy so that `wirelens --help` loads no verb code. */
function lazy(
  name: string,
  summary: string,
  load: () => Promise<{ run(args: string[]): Promise<number> }>,
): Verb {
  return { name, summary, run: async (args) => (await load()).run(args) };
}

export const VERBS: Verb[] = [
  // Verbs are added here as they land, e.g.:
  // lazy('capture', 'Run the capture proxy and print each exchange', () => import('./verb-capture')),
  lazy(
    'browser',
    'Open Chromium through the proxy, trusting the Wirelens CA',
    () => import('./verb-browser'),
  ),
  lazy(
    'ca',
    'Show the HTTPS interception CA (path, fingerprints; --pem, --regenerate)',
    () => import('./verb-ca'),
  ),
  lazy('capture', 'Run the capture proxy and print each exchange', () => import('./verb-capture')),
  lazy('send', 'Send a raw HTTP request exactly as written', () => import('./verb-send')),
  lazy('export', 'Export to HAR, or save a capture file', () => import('./verb-export')),
  lazy('import', 'Import HAR files, or open a capture file', () => import('./verb-import')),
  lazy('web', 'Run the proxy and the inspector UI in your browser', () => import('./verb-web')),
];

void lazy;
