/** Sample traffic for the UI tests and screenshots: a local origin with varied answers. */
import { runCurl, startHttpOrigin, type HttpOrigin } from '../support/origin-server';

// A 2×2 PNG, small enough to inline.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

export async function startSampleOrigin(): Promise<HttpOrigin> {
  return startHttpOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (url.startsWith('/api/users')) {
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        res.end(
          JSON.stringify({
            users: [
              { id: 1, name: 'Ada', roles: ['admin', 'dev'] },
              { id: 2, name: 'Linus', active: true },
            ],
            total: 2,
          }),
        );
      } else if (url === '/index.html') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html>\n<html>\n  <head><title>Demo</title></head>\n  <body class="home">\n    <!-- greeting -->\n    <h1>Hello &amp; welcome</h1>\n    <script>console.log("not run")</script>\n  </body>\n</html>\n',
        );
      } else if (url === '/app.css') {
        res.writeHead(200, { 'Content-Type': 'text/css' });
        res.end(
          'body { color: #333; margin: 0 8px; }\n/* layout */\n@media (max-width: 600px) { h1 { font-size: 1.2em; } }\n',
        );
      } else if (url === '/logo.png') {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end(PNG);
      } else if (url.startsWith('/login')) {
        res.writeHead(302, { Location: '/home', 'Set-Cookie': 'sid=abc123; HttpOnly' });
        res.end();
      } else if (url.startsWith('/big')) {
        const size = Number(new URL(url, 'http://x').searchParams.get('bytes') ?? 5 * 1024 * 1024);
        const line = 'The quick brown fox jumps over the lazy dog. 0123456789\n';
        const body = Buffer.alloc(size, line);
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': String(size),
        });
        res.end(body);
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end(`No ${url} here\n`);
      }
    });
  });
}

/** Sends a request through the proxy with curl; `extra` are more curl arguments. */
export async function viaProxy(
  proxyPort: number,
  url: string,
  extra: string[] = [],
): Promise<void> {
  const r = await runCurl([
    '-x',
    `http://127.0.0.1:${proxyPort}`,
    '-o',
    '/dev/null',
    ...extra,
    url,
  ]);
  if (r.code !== 0 && r.code !== 22) throw new Error(`curl ${url} failed (${r.code}): ${r.stderr}`);
}

export async function sendSampleTraffic(proxyPort: number, origin: HttpOrigin): Promise<void> {
  await viaProxy(proxyPort, `${origin.url}/index.html`);
  await viaProxy(proxyPort, `${origin.url}/app.css`);
  await viaProxy(proxyPort, `${origin.url}/logo.png`);
  await viaProxy(proxyPort, `${origin.url}/api/users?page=1`, ['-H', 'Accept: application/json']);
  await viaProxy(proxyPort, `http://localhost:${origin.port}/login`, [
    '--data-binary',
    'user=ada&password=secret',
  ]);
  await viaProxy(proxyPort, `${origin.url}/missing`);
}
