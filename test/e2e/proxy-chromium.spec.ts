/**
 * Real Chromium through the capture proxy: a local page with several subresources loads,
 * and every request appears in the store on the right client connection (each
 * connection's exchanges numbered 0, 1, 2… in order).
 */
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { startHttpOrigin, type HttpOrigin } from '../support/origin-server';
import { startHarness, type Harness } from '../main/core/proxy/proxy-harness';

const PAGE = `<!doctype html>
<html><head><title>wirelens e2e</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js"></script>
</head><body>
<img src="/pixel.svg" alt="pixel" onload="document.body.dataset.img = 'ok'">
<p id="status">loading</p>
</body></html>`;

const APP = `window.addEventListener('load', async () => {
  const r = await fetch('/api/data?x=1', { method: 'POST', body: 'ping' });
  document.getElementById('status').textContent = 'ready ' + (await r.text());
});`;

let origin: HttpOrigin;
let h: Harness;

test.beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const body: Record<string, [string, string]> = {
      '/': ['text/html', PAGE],
      '/style.css': ['text/css', 'body { color: rgb(1, 2, 3); }'],
      '/app.js': ['application/javascript', APP],
      '/pixel.svg': [
        'image/svg+xml',
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
      ],
      '/api/data': ['text/plain', 'pong'],
    };
    const found = body[path];
    req.resume();
    req.on('end', () => {
      if (!found) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': found[0], 'Cache-Control': 'no-store' }).end(found[1]);
    });
  });
  h = await startHarness();
});

test.afterAll(async () => {
  await h?.close();
  await origin?.close();
});

test('Chromium loads a page with subresources through the proxy; all captured', async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      `--proxy-server=http://127.0.0.1:${h.port}`,
      // Chromium bypasses proxies for loopback unless told not to.
      '--proxy-bypass-list=<-loopback>',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin.url}/`);
    await expect(page.locator('#status')).toHaveText('ready pong');
    await expect(page.locator('body')).toHaveAttribute('data-img', 'ok');
    const wanted = ['/', '/style.css', '/app.js', '/pixel.svg', '/api/data?x=1'];
    await expect
      .poll(() => {
        h.store.flush();
        return h.store
          .list({})
          .items.filter((s) => s.status !== null)
          .map((s) => s.path);
      })
      .toEqual(expect.arrayContaining(wanted));
    const items = h.store.list({}).items.filter((s) => s.url.startsWith(origin.url));
    for (const p of wanted) {
      const s = items.find((i) => i.path === p)!;
      expect(s.status, p).toBe(200);
      expect(s.state).toBe('complete');
      expect(s.port).toBe(origin.port);
    }
    expect(items.find((i) => i.path === '/api/data?x=1')?.method).toBe('POST');
    // Each client connection's exchanges are numbered 0..n-1, and the connection is known.
    const byConnection = new Map<number, number[]>();
    for (const s of items)
      byConnection.set(s.connectionId, [
        ...(byConnection.get(s.connectionId) ?? []),
        s.indexOnConnection,
      ]);
    for (const [id, indexes] of byConnection) {
      expect(indexes.sort((a, b) => a - b)).toEqual(indexes.map((_, i) => i));
      const conn = h.store.get(items.find((s) => s.connectionId === id)!.id)!.connection;
      expect(conn?.clientAddress).toMatch(/127\.0\.0\.1/);
      expect(conn?.target?.port).toBe(origin.port);
    }
    // Chromium reused connections (keep-alive): fewer connections than requests.
    expect(byConnection.size).toBeLessThan(items.length);
  } finally {
    await browser.close();
  }
});
