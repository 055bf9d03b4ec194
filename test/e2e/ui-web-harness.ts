/**
 * Starts the real `wirelens web` for the UI tests (proxy and UI on free loopback ports,
 * a fresh data folder) and reads the two addresses it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BIN = join(ROOT, 'main/headless/bin/wirelens.mjs');

export interface WirelensWeb {
  proxyPort: number;
  /** The token link, as printed. */
  uiUrl: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startWirelensWeb(
  timeoutMs = 180_000,
  /** More options for `wirelens web`. */
  extraArgs: string[] = [],
): Promise<WirelensWeb> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wirelens-ui-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'web',
      '--listen',
      '127.0.0.1:0',
      '--ui',
      '127.0.0.1:0',
      '--data-dir',
      dataDir,
      '--no-open',
      ...extraArgs,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));

  const addresses = await new Promise<{ proxyPort: number; uiUrl: string }>(
    (resolveStart, reject) => {
      const timer = setTimeout(
        () => done(new Error(`wirelens web did not start in time:\n${out}`)),
        timeoutMs,
      );
      const check = () => {
        const proxy = /Proxy listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        const ui = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (proxy && ui) done(null, { proxyPort: Number(proxy[1]), uiUrl: ui[1]! });
      };
      const onExit = (code: number | null) =>
        done(new Error(`wirelens web exited (${code}):\n${out}`));
      function done(error: Error | null, value?: { proxyPort: number; uiUrl: string }): void {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        if (error) {
          child.kill('SIGKILL');
          reject(error);
        } else resolveStart(value!);
      }
      child.stdout?.on('data', check);
      child.on('exit', onExit);
    },
  );

  return {
    ...addresses,
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
