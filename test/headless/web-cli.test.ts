import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCurl } from '../support/origin-server';
import { rawGet, tryUpgrade } from './web-support';

const BIN = fileURLToPath(new URL('../../main/headless/bin/wirelens.mjs', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts `wirelens web` and waits for its two lines (bounded: building the UI may run first). */
async function startWeb(extra: string[] = []) {
  const dataDir = await mkdtemp(join(tmpdir(), 'wirelens-webcli-'));
  dirs.push(dataDir);
  const args = [
    BIN,
    'web',
    '--listen',
    '127.0.0.1:0',
    '--ui',
    '127.0.0.1:0',
    '--data-dir',
    dataDir,
    '--no-open',
    ...extra,
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = await new Promise<{ proxy: RegExpMatchArray; open: RegExpMatchArray }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no link after 150 s\n${stdout}\n${stderr}`)),
        150_000,
      );
      child.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
        const proxy = /^Proxy listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(stdout);
        const open = /^Open http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/m.exec(stdout);
        if (proxy && open) {
          clearTimeout(timer);
          resolve({ proxy, open });
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} early\n${stdout}\n${stderr}`)));
    },
  );
  return {
    child,
    proxyPort: Number(lines.proxy[1]),
    uiPort: Number(lines.open[1]),
    token: lines.open[2],
    exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
  };
}

describe('wirelens web (child process)', () => {
  it('prints the proxy line and a token link; the token guards the API; SIGTERM exits 0', async () => {
    const web = await startWeb();
    // At least 128 bits of URL-safe randomness.
    expect(web.token.length * 6).toBeGreaterThanOrEqual(128);

    const page = await rawGet(web.uiPort, `/?token=${web.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect((await tryUpgrade(`ws://127.0.0.1:${web.uiPort}/api`)).status).toBe(401);
    expect((await tryUpgrade(`ws://127.0.0.1:${web.uiPort}/api?token=${web.token}`)).status).toBe(
      101,
    );

    // The proxy is live: a request aimed at the proxy itself is answered, not looped.
    const self = await runCurl([`http://127.0.0.1:${web.proxyPort}/`]);
    expect(self.code).toBe(0);

    web.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
  }, 200_000);

  it('fails with one line when the proxy port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = await mkdtemp(join(tmpdir(), 'wirelens-webcli-'));
    dirs.push(dataDir);
    const child = spawn(
      process.execPath,
      [
        BIN,
        'web',
        '--listen',
        `127.0.0.1:${port}`,
        '--ui',
        '127.0.0.1:0',
        '--data-dir',
        dataDir,
        '--no-open',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(/in use/);
  }, 200_000);

  it('rejects a malformed --listen with a clear message', async () => {
    const child = spawn(process.execPath, [BIN, 'web', '--listen', 'nonsense', '--no-open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--listen needs HOST:PORT/);
  }, 60_000);
});
