/**
 * Real Chromium through the intercepting proxy, trusting the Wirelens CA only through
 * --ignore-certificate-errors-spki-list (no CA installed anywhere): an HTTPS page with
 * subresources from two host names renders, and every exchange is captured decrypted.
 */
import { chromium, expect, test, type Browser } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, chromiumHostRules, chromiumPath } from '../support/chromium';
import { createTestCa, startHttpsOrigin, type HttpsOrigin, type TestCa } from '../support/test-ca';
import { startProxyInChild, type ProxyInChild } from '../main/core/tls/support/proxy-in-child';

let dataDir: string;
let testCa: TestCa;
let siteA: HttpsOrigin;
let siteB: HttpsOrigin;
let proxy: ProxyInChild;
let browser: Browser;

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>';

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-e2e-https-'));
  testCa = await createTestCa();
  siteB = await startHttpsOrigin(await testCa.issue({ hosts: ['site-b.test'] }), (req, res) => {
    const files: Record<string, [string, string]> = {
      '/style.css': ['text/css', 'h1 { color: rgb(0, 128, 0); }'],
      '/logo.svg': ['image/svg+xml', LOGO],
      '/app.js': ['text/javascript', "document.getElementById('title').dataset.siteB = 'ran';"],
    };
    const file = files[req.url ?? ''];
    res.writeHead(file ? 200 : 404, { 'Content-Type': file?.[0] ?? 'text/plain' });
    res.end(file?.[1] ?? 'not found');
  });
  const b = `https://site-b.test:${siteB.port}`;
  siteA = await startHttpsOrigin(await testCa.issue({ hosts: ['site-a.test'] }), (req, res) => {
    if (req.url === '/local.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end("document.getElementById('title').dataset.siteA = 'ran';");
      return;
    }
    res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>Wirelens HTTPS</title>
<link rel="stylesheet" href="${b}/style.css">
<h1 id="title">page from site-a</h1>
<img id="logo" alt="logo" src="${b}/logo.svg">
<script src="${b}/app.js"></script>
<script src="/local.js"></script>`);
  });
  proxy = await startProxyInChild({
    dataDir,
    upstreamCaPath: testCa.certPath,
    hostMap: { 'site-a.test': '127.0.0.1', 'site-b.test': '127.0.0.1' },
  });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      `--proxy-server=http://127.0.0.1:${proxy.port}`,
      `--ignore-certificate-errors-spki-list=${proxy.spki}`,
      // (Replaces the rules in CHROMIUM_ARGS: Chromium keeps a switch's last value.)
      chromiumHostRules({ 'site-a.test': '127.0.0.1', 'site-b.test': '127.0.0.1' }),
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await Promise.all([siteA?.close(), siteB?.close()]);
  testCa?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an HTTPS page with subresources from two hosts renders and is captured', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`https://site-a.test:${siteA.port}/`);
  expect(response?.status()).toBe(200);
  const title = page.getByRole('heading', { name: 'page from site-a' });
  await expect(title).toHaveCSS('color', 'rgb(0, 128, 0)');
  await expect(title).toHaveAttribute('data-site-a', 'ran');
  await expect(title).toHaveAttribute('data-site-b', 'ran');
  await expect
    .poll(() =>
      page
        .getByRole('img', { name: 'logo' })
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBe(40);
  await page.close();

  const wanted = [
    ['site-a.test', '/'],
    ['site-a.test', '/local.js'],
    ['site-b.test', '/style.css'],
    ['site-b.test', '/logo.svg'],
    ['site-b.test', '/app.js'],
  ] as const;
  for (const [host, urlPath] of wanted) {
    const ex = await proxy.waitForExchange(
      (e) =>
        e.finished &&
        e.scheme === 'https' &&
        e.host === host &&
        e.request.toString('latin1').startsWith(`GET ${urlPath} HTTP/1.1\r\n`),
      `GET https://${host}${urlPath}`,
    );
    expect(ex.state).toBe('complete');
    expect(ex.response.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(proxy.connections.get(ex.connectionId)?.tls?.sni).toBe(host);
  }
  // Nothing failed the TLS handshake: Chromium trusted every leaf through the SPKI flag.
  expect(
    [...proxy.exchanges.values()].filter((e) => e.error?.code === 'CLIENT_TLS_REJECTED'),
  ).toEqual([]);
});

test('Chromium without the SPKI flag refuses the leaf, and the proxy records why', async () => {
  const untrusting = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, `--proxy-server=http://127.0.0.1:${proxy.port}`],
  });
  try {
    const page = await untrusting.newPage();
    const failure = await page
      .goto(`https://site-a.test:${siteA.port}/untrusted`)
      .catch((e: Error) => e);
    expect(String(failure)).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await untrusting.close();
  }
  const rejected = await proxy.waitForExchange(
    (e) => e.error?.code === 'CLIENT_TLS_REJECTED' && e.host === 'site-a.test',
    'the rejected CONNECT',
  );
  expect(rejected.error?.message).toContain(
    'the client does not trust the Wirelens CA — see `wirelens ca`',
  );
  expect(siteA.requests.some((r) => r.url === '/untrusted')).toBe(false);
});
