/**
 * Runs the real bundled main process (out/electron/main.cjs, built by main/electron/build.mjs)
 * under plain Node with a recording stand-in for the 'electron' module (./fake-electron.cjs),
 * since no Electron binary exists here. Proves the bundle loads, starts the core before the
 * page, registers exactly the contract's channels, refuses foreign senders, and flushes the
 * store on quit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { INSPECTOR_METHODS } from '../../../shared/api/inspector-api';
import { ExchangeStore } from '../../../main/core/store/exchange-store';
import { runCurl } from '../../support/origin-server';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FAKE = fileURLToPath(new URL('./fake-electron.cjs', import.meta.url));

type Report = { type: string; [key: string]: unknown };

let child: ChildProcessWithoutNullStreams;
let dataDir = '';
const reports: Report[] = [];
const waiters: Array<{ match: (r: Report) => boolean; resolve: (r: Report) => void }> = [];

function waitFor(match: (r: Report) => boolean, what: string): Promise<Report> {
  const found = reports.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 60_000);
    waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
  });
}

function command(value: object): void {
  child.stdin.write(JSON.stringify(value) + '\n');
}

async function invoke(method: string, args: unknown[] = [], foreign = false): Promise<Report> {
  const channel = `wirelens:${method}`;
  const before = reports.length;
  command({ invoke: channel, args, foreign });
  return waitFor(
    (r) => r.type === 'invoke-result' && r.channel === channel && reports.indexOf(r) >= before,
    channel,
  );
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'main/electron/build.mjs')], {
    cwd: ROOT,
    timeout: 60_000,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'wirelens-electron-main-'));
  child = spawn(process.execPath, ['--require', FAKE, join(ROOT, 'out/electron/main.cjs')], {
    env: { ...process.env, WIRELENS_DATA_DIR: dataDir, WIRELENS_LISTEN: '127.0.0.1:0' },
  });
  child.stderr.on('data', (c: Buffer) => process.stderr.write(c));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let report: Report;
    try {
      report = JSON.parse(line) as Report;
    } catch {
      return; // Not one of ours.
    }
    reports.push(report);
    for (const w of [...waiters]) {
      if (w.match(report)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(report);
      }
    }
  });
  await waitFor((r) => r.type === 'load', 'the page load');
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the bundled Electron main process', () => {
  it('secures the session and the window, then loads the renderer after the core started', () => {
    const order = reports.map((r) => r.type);
    expect(order.indexOf('csp-hook')).toBeLessThan(order.indexOf('window'));
    expect(order.indexOf('window')).toBeLessThan(order.indexOf('load'));
    const window = reports.find((r) => r.type === 'window')!;
    expect(window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((window.webPreferences as { preload: string }).preload)).toMatch(
      /out[\\/]electron[\\/]preload\.cjs$/,
    );
    const load = reports.find((r) => r.type === 'load')!;
    expect(String(load.file)).toMatch(/out[\\/]renderer[\\/]index\.html$/);
    expect(reports.find((r) => r.type === 'menu')?.labels).toEqual([
      'File',
      'Edit',
      'View',
      'help',
    ]);
  });

  it('registers exactly one channel per contract method, plus the two file channels', async () => {
    command({ channels: true });
    const { channels } = await waitFor((r) => r.type === 'channels', 'channels');
    expect((channels as string[]).sort()).toEqual(
      [
        ...INSPECTOR_METHODS.map((m) => `wirelens:${m}`),
        'wirelens-files:adopt',
        'wirelens-files:save',
      ].sort(),
    );
  });

  it('answers the window, refuses a foreign sender, and records proxied traffic', async () => {
    const refused = await invoke('getProxyStatus', [], true);
    expect(refused.outcome).toMatchObject({ ok: false, error: { code: 'FOREIGN_SENDER' } });
    const status = await invoke('getProxyStatus');
    const value = (
      status.outcome as { ok: true; value: { state: string; address: { port: number } } }
    ).value;
    expect(value.state).toBe('listening');
    // A request aimed at the proxy itself is answered by it and recorded.
    await runCurl([`http://127.0.0.1:${value.address.port}/electron-bundle`]);
    await waitFor(
      (r) => r.type === 'webcontents-send' && r.payloadType === 'exchanges-added',
      'an event',
    );
  });

  it('flushes the store and exits on quit', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    command({ quit: true });
    expect(await exited).toBe(0);
    const store = await ExchangeStore.open(dataDir);
    try {
      expect(store.list({}).total).toBeGreaterThanOrEqual(1);
    } finally {
      await store.close();
    }
  });

  it('shows an error box and exits 1 when the core cannot start', async () => {
    const notAFolder = join(dataDir, 'file-not-folder');
    await writeFile(notAFolder, 'x');
    const failing = spawn(
      process.execPath,
      ['--require', FAKE, join(ROOT, 'out/electron/main.cjs')],
      {
        env: { ...process.env, WIRELENS_DATA_DIR: notAFolder, WIRELENS_LISTEN: '127.0.0.1:0' },
      },
    );
    let out = '';
    failing.stdout.on('data', (c: Buffer) => (out += c.toString()));
    failing.stderr.resume();
    const code = await new Promise<number | null>((resolve) => failing.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('"type":"error-box"');
    expect(out).not.toContain('"type":"load"');
  });
});
