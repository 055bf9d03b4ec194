/**
 * The web mode's HTTP server: the built renderer at `/`, the InspectorApi WebSocket at
 * `/api`, file uploads/downloads at `/api/files` (./web-files.ts). Loopback by default; every request passes the Host/Origin guard and the API
 * also needs the per-run token (see ./request-guard.ts for why).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { InspectorClient } from '../../../shared/api/inspector-api';
import { WS_API_PATH } from '../../../shared/api/ws-protocol';
import type { TransferFiles } from '../../core/service-files';
import { createGuard, createToken, type GuardVerdict } from './request-guard';
import { securityHeaders, serveStatic } from './static-files';
import { isFilesPath, serveFiles } from './web-files';
import { attachWsApi } from './ws-api';

export interface WebServerOptions {
  service: InspectorClient;
  /** The service's transfer files: enables `/api/files` (uploads and downloads). */
  files?: TransferFiles;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  /** 0 = any free port. Default 8081. */
  port?: number;
  /** Fixed token (tests); random per run otherwise. */
  token?: string;
}

export interface WebServer {
  host: string;
  port: number;
  token: string;
  /** The link to open: `http://HOST:PORT/?token=TOKEN`. */
  url: string;
  close(): Promise<void>;
}

/** The largest message a client may send (a composed request with a big body). */
const MAX_PAYLOAD = 256 * 1024 * 1024;

function refuse(res: ServerResponse, verdict: Exclude<GuardVerdict, { ok: true }>): void {
  res.writeHead(verdict.status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(verdict.reason + '\n');
}

function refuseUpgrade(socket: Socket, verdict: Exclude<GuardVerdict, { ok: true }>): void {
  const text = verdict.status === 401 ? 'Unauthorized' : 'Forbidden';
  socket.end(
    `HTTP/1.1 ${verdict.status} ${text}\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(verdict.reason)}\r\nConnection: close\r\n\r\n${verdict.reason}`,
  );
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://placeholder').pathname;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  let guard: ReturnType<typeof createGuard> | null = null;

  const server = createServer((req, res) => {
    const site = guard!.checkSite(req);
    if (!site.ok) return refuse(res, site);
    if (isFilesPath(pathOf(req))) {
      const auth = guard!.checkToken(req);
      if (!auth.ok) return refuse(res, auth);
      return serveFiles(options.files, req, res);
    }
    if (pathOf(req) === WS_API_PATH) {
      const auth = guard!.checkToken(req);
      if (!auth.ok) return refuse(res, auth);
      res.writeHead(426, {
        ...securityHeaders(),
        Upgrade: 'websocket',
        'Content-Type': 'text/plain',
      });
      res.end('The API is a WebSocket.\n');
      return;
    }
    serveStatic(options.rendererDir, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, securityHeaders());
      res.end();
    });
  });

  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => socket.destroy());
    const site = guard!.checkSite(req);
    if (!site.ok) return refuseUpgrade(socket, site);
    if (pathOf(req) !== WS_API_PATH) {
      return refuseUpgrade(socket, { ok: false, status: 403, reason: 'No WebSocket here.' });
    }
    const auth = guard!.checkToken(req);
    if (!auth.ok) return refuseUpgrade(socket, auth);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8081, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  guard = createGuard({ token, host, port });
  const detach = attachWsApi(wss, options.service);

  return {
    host,
    port,
    token,
    url: `http://${urlHost(host)}:${port}/?token=${token}`,
    async close() {
      detach();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
