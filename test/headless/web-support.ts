/**
 * Helpers for the web-mode tests: a real InspectorService over a temp data folder with
 * the proxy on 127.0.0.1:0, the real web server in front of it (port 0), and a tiny
 * stand-in renderer folder so these tests do not depend on the vite build.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { InspectorService } from '../../main/core/inspector-service';
import { startWebServer, type WebServer } from '../../main/headless/web-bridge/web-server';
import {
  createWsClient,
  type SocketLike,
  type WsInspectorClient,
} from '../../renderer/src/api/ws-client';

export interface WebFixture {
  service: InspectorService;
  web: WebServer;
  proxyPort: number;
  rendererDir: string;
  client(): WsInspectorClient;
  close(): Promise<void>;
}

export async function startWebFixture(): Promise<WebFixture> {
  const root = await mkdtemp(join(tmpdir(), 'wirelens-web-'));
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Wirelens test page</title>',
  );
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer folder');

  const service = await InspectorService.create({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    proxy: { interceptHttps: false },
  });
  const status = await service.getProxyStatus();
  if (!status.address) throw new Error(`proxy did not start: ${status.error?.message}`);
  const web = await startWebServer({
    service,
    files: service.files,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
  });
  const clients: WsInspectorClient[] = [];
  return {
    service,
    web,
    proxyPort: status.address.port,
    rendererDir,
    client() {
      const url = `ws://127.0.0.1:${web.port}/api?token=${web.token}`;
      const c = createWsClient({ url, connect: (u) => new WebSocket(u) as unknown as SocketLike });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.dispose();
      await web.close();
      await service.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface RawHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP request with full control of Host/Origin and the path as written. */
export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method, headers, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Tries a WebSocket upgrade; resolves with the HTTP status of a refusal, or 101. */
export function tryUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (error) => reject(error));
  });
}
