/**
 * Launches Chromium pre-configured for Wirelens: a fresh temporary profile, all traffic
 * (loopback included) through the proxy, and the Wirelens CA trusted by its SPKI
 * fingerprint for this browser only (nothing installed system-wide). The profile is
 * removed when the browser exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_NOT_FOUND, findChromium } from './find-chromium';

export interface LaunchOptions {
  proxy: { host: string; port: number };
  /** The CA's SPKI fingerprint (base64 SHA-256), see `wirelens ca`. */
  spkiFingerprint: string;
  url?: string;
  /** Default: `findChromium()`. */
  executablePath?: string;
  /** Added after ours (e.g. `--headless=new` in tests, `--host-resolver-rules=…`). */
  extraArgs?: string[];
  /** Where the browser's output goes (default: ignored). */
  stdio?: 'ignore' | 'inherit';
}

export interface LaunchedBrowser {
  pid: number | null;
  profileDir: string;
  args: string[];
  /** Resolves once the browser exited and its profile was removed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Asks the browser to quit (SIGTERM), then waits for `exited`. */
  close(): Promise<void>;
}

/** The proxy as Chromium wants it: a wildcard listen address means "this machine". */
function proxyUrl(proxy: { host: string; port: number }): string {
  let host = proxy.host;
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${proxy.port}`;
}

export function browserArgs(options: LaunchOptions, profileDir: string): string[] {
  const args = [
    `--user-data-dir=${profileDir}`,
    `--proxy-server=${proxyUrl(options.proxy)}`,
    // Chromium bypasses the proxy for loopback by default; `<-loopback>` removes that
    // rule so local development servers are captured too.
    '--proxy-bypass-list=<-loopback>',
    `--ignore-certificate-errors-spki-list=${options.spkiFingerprint}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    // QUIC (HTTP/3) would bypass an HTTP proxy's CONNECT; keep everything on TCP.
    '--disable-quic',
  ];
  // Chromium refuses to start its sandbox as root; only then is it turned off.
  if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
  args.push(...(options.extraArgs ?? []));
  // `--` ends the switches: a "URL" like `--renderer-cmd-prefix=…` must never become a flag.
  if (options.url) args.push('--', options.url);
  return args;
}

export async function launchBrowser(options: LaunchOptions): Promise<LaunchedBrowser> {
  const executable = options.executablePath ?? findChromium();
  if (!executable) throw new Error(CHROMIUM_NOT_FOUND);
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-browser-'));
  const args = browserArgs(options, profileDir);
  let child: ChildProcess;
  try {
    child = spawn(executable, args, { stdio: options.stdio ?? 'ignore' });
  } catch (error) {
    await removeProfile(profileDir);
    throw error;
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      let spawnError: Error | undefined;
      child.once('error', (error) => (spawnError = error));
      child.once('close', (code, signal) => {
        void removeProfile(profileDir).then(() =>
          spawnError
            ? reject(new Error(`could not start ${executable}: ${spawnError.message}`))
            : resolve({ code, signal }),
        );
      });
    },
  );
  // Spawn failures (ENOENT, EACCES) arrive as an 'error' event: surface them to the caller.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    exited.catch(reject);
  });
  return {
    pid: child.pid ?? null,
    profileDir,
    args,
    exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited.catch(() => undefined);
    },
  };
}

async function removeProfile(dir: string): Promise<void> {
  // Chromium's helper processes may still be flushing files for a moment after exit.
  await fs
    .rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    .catch(() => undefined);
}
