/**
 * The web mode end to end: the real `wirelens web` (child process, ports 0), real
 * Chromium opening the token link, real curl through the proxy — and the exchange shows
 * up in the page's "Exchanges" grid live, without a reload.
 */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCurl } from '../support/origin-server';

const BIN = fileURLToPath(new URL('../../main/headless/bin/wirelens.mjs', import.meta.url));

let child: ChildProcess | null = null;
let dataDir = '';
let origin: http.Server | null = null;
let originPort = 0;
let proxyPort = 0;
let link = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  origin = http.createServer((req, res) => {
    const body = `origin says hi to ${req.url}`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => origin!.listen(0, '127.0.0.1', resolve));
  originPort = (origin.address() as AddressInfo).port;

  dataDir = await mkdtemp(join(tmpdir(), 'wirelens-e2e-web-'));
  child = spawn(
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
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    // Generous: on a fresh clone the UI is built first.
    const timer = setTimeout(
      () => reject(new Error(`wirelens web printed no link:\n${out}\n${err}`)),
      170_000,
    );
    child!.on('exit', (code) => reject(new Error(`wirelens web exited ${code}:\n${out}\n${err}`)));
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const proxy = /^Proxy listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out);
      const open = /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(out);
      if (proxy && open) {
        clearTimeout(timer);
        proxyPort = Number(proxy[1]);
        link = open[1];
        resolve();
      }
    });
  });
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the token link lists exchanges captured by the proxy, live', async ({ page }) => {
  await page.goto(link);
  const grid = page.getByRole('grid', { name: 'Exchanges' });
  await expect(grid).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 30_000 });

  for (const path of ['/e2e-live-one', '/e2e-live-two']) {
    const curl = await runCurl([
      '-x',
      `http://127.0.0.1:${proxyPort}`,
      `http://127.0.0.1:${originPort}${path}`,
    ]);
    expect(curl.stdout.toString()).toBe(`origin says hi to ${path}`);
  }
  await expect(grid.getByRole('row').filter({ hasText: '/e2e-live-one' })).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(grid.getByRole('row').filter({ hasText: '/e2e-live-two' })).toHaveCount(1, {
    timeout: 30_000,
  });
});

/** Opens a WebSocket from the page; resolves with the first message, or "closed". */
function wsProbe(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'listExchanges', params: [{}] }));
    ws.onmessage = (event) => resolve(String(event.data));
    ws.onclose = () => resolve('closed');
  });
}

test('without the token, or from another site, the browser gets no data', async ({ page }) => {
  const ui = new URL(link);
  const token = ui.searchParams.get('token')!;
  const wsBase = `ws://${ui.host}/api`;
  const api = await page.request.get(`http://${ui.host}/api`, { failOnStatusCode: false });
  expect(api.status()).toBe(401);

  // Same origin, no token: refused.
  await page.goto(`http://${ui.host}/`);
  expect(await page.evaluate(wsProbe, wsBase)).toBe('closed');
  // Same origin, token: answered (proves the probe can succeed).
  expect(await page.evaluate(wsProbe, `${wsBase}?token=${token}`)).toContain('"result"');

  // A page of another origin that somehow learned the token: its Origin is refused.
  await page.goto(`http://127.0.0.1:${originPort}/elsewhere`);
  expect(await page.evaluate(wsProbe, `${wsBase}?token=${token}`)).toBe('closed');
});
