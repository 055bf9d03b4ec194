/**
 * Child processes of the HTTPS interception benchmark (bench/tls-bench.ts), one role each
 * so every server has its own event loop:
 *   origin DIR        — an HTTPS origin (cert for 127.0.0.1 and *.bench.test from a
 *                       throwaway test CA, written to DIR/test-ca.pem) serving 1 KiB bodies,
 *                       and the same over plain HTTP on `plainPort`
 *   proxy DIR [--intercept]
 *                     — the capture proxy recording into a store in DIR; with --intercept
 *                       it decrypts CONNECT (Wirelens CA in DIR), else blind tunnels.
 *                       Run it with NODE_EXTRA_CA_CERTS=DIR/test-ca.pem.
 * Each prints one JSON line once listening: {"port":N, ...}.
 */
import { copyFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';
import { ProxyServer } from '../main/core/proxy/proxy-server';
import { ExchangeStore } from '../main/core/store/exchange-store';
import { createHttpsInterception } from '../main/core/tls/https-interception';
import { createTestCa } from '../test/support/test-ca';

const [role, dir] = process.argv.slice(2);
const ready = (info: object): void => void process.stdout.write(JSON.stringify(info) + '\n');

async function origin(): Promise<void> {
  const ca = await createTestCa('Wirelens bench origin CA');
  copyFileSync(ca.certPath, path.join(dir, 'test-ca.pem'));
  const cert = await ca.issue({ hosts: ['127.0.0.1', 'bench.test', '*.bench.test'] });
  ca.dispose();
  const body = Buffer.alloc(1024, 'k');
  const handler: http.RequestListener = (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(body);
  };
  // The same origin over plain HTTP too: the reference for the proxy's own HTTP path.
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  const plain = http.createServer(handler);
  server.keepAliveTimeout = plain.keepAliveTimeout = 60_000;
  const listen = (s: net.Server): Promise<number> =>
    new Promise((resolve) =>
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)),
    );
  ready({ port: await listen(server), plainPort: await listen(plain) });
}

async function proxy(intercept: boolean): Promise<void> {
  const store = await ExchangeStore.open(path.join(dir, intercept ? 'intercept' : 'tunnel'));
  const interception = intercept ? await createHttpsInterception(path.join(dir, 'wirelens')) : null;
  const server = new ProxyServer({ recorder: store, onConnect: interception?.onConnect });
  const { port } = await server.start({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => {
    void server
      .stop({ graceMs: 100 })
      .then(() => store.close())
      .then(() => process.exit(0));
  });
  ready({ port, caPath: interception?.ca.certPath });
}

if (role === 'origin' && dir) void origin();
else if (role === 'proxy' && dir) void proxy(process.argv.includes('--intercept'));
else {
  process.stderr.write('usage: tls-bench-servers.ts origin DIR | proxy DIR [--intercept]\n');
  process.exit(2);
}
