/**
 * HTTPS interception end to end: real curl and a real Node https client through the real
 * proxy (in a child process that trusts the test origins' CA), against local HTTPS origins.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTestCa,
  selfSignedCertificate,
  startHttpsOrigin,
  type HttpsOrigin,
  type TestCa,
} from '../../../support/test-ca';
import { startProxyInChild, type ProxyInChild } from './support/proxy-in-child';

// Child processes (tsx start-up), real curl: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const HOSTS = {
  'site-a.test': '127.0.0.1',
  'untrusted.test': '127.0.0.1',
  'expired.test': '127.0.0.1',
  'wrong-name.test': '127.0.0.1',
};

let dataDir: string;
let testCa: TestCa;
let origin: HttpsOrigin;
let untrusted: HttpsOrigin;
let expired: HttpsOrigin;
let wrongName: HttpsOrigin;
let proxy: ProxyInChild;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-intercept-'));
  testCa = await createTestCa();
  origin = await startHttpsOrigin(await testCa.issue({ hosts: ['site-a.test', '127.0.0.1'] }));
  untrusted = await startHttpsOrigin(await selfSignedCertificate(['untrusted.test']));
  expired = await startHttpsOrigin(await testCa.issue({ hosts: ['expired.test'], expired: true }));
  wrongName = await startHttpsOrigin(await testCa.issue({ hosts: ['someone-else.test'] }));
  proxy = await startProxyInChild({ dataDir, upstreamCaPath: testCa.certPath, hostMap: HOSTS });
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([origin, untrusted, expired, wrongName].map((o) => o?.close()));
  testCa?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-sS', '--max-time', '30', '--noproxy', '', ...args],
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const via = () => ['-x', `http://127.0.0.1:${proxy.port}`];

describe('HTTPS interception', () => {
  it('decrypts curl traffic trusted with --cacert <wirelens ca.pem> and records it as https', async () => {
    const url = `https://site-a.test:${origin.port}/hello?x=1`;
    const result = await curl([...via(), '--cacert', proxy.caPath, url]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('origin saw GET /hello?x=1\n');

    const ex = await proxy.waitForExchange(
      (e) =>
        e.scheme === 'https' &&
        e.request.toString('latin1').startsWith('GET /hello?x=1 ') &&
        e.finished,
      'the decrypted exchange',
    );
    expect(ex.state).toBe('complete');
    expect(ex.host).toBe('site-a.test');
    expect(ex.request.toString('latin1')).toContain(`\r\nHost: site-a.test:${origin.port}\r\n`);
    expect(ex.response.toString('latin1')).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\norigin saw GET \/hello\?x=1\n$/,
    );

    const connection = proxy.connections.get(ex.connectionId);
    expect(connection?.target).toEqual({ host: 'site-a.test', port: origin.port, tls: true });
    expect(connection?.tls).toMatchObject({
      sni: 'site-a.test',
      alpn: 'http/1.1',
      protocol: 'TLSv1.3',
    });
    expect(connection?.tls?.cipher).toMatch(/^TLS_/);
    expect(connection?.tls?.certificate?.subject).toBe('CN=site-a.test');

    const connect = await proxy.waitForExchange(
      (e) =>
        e.request.toString('latin1').startsWith(`CONNECT site-a.test:${origin.port} `) &&
        e.finished,
      'the CONNECT exchange',
    );
    expect(connect.state).toBe('complete');
    expect(connect.timings.tlsEnd! - connect.timings.tlsStart!).toBeGreaterThan(0);
  });

  it('serves a Node https client (CONNECT + ca option) keep-alive, with request bodies', async () => {
    const socket = await openTunnel(`site-a.test:${origin.port}`);
    const secure = tls.connect({
      socket,
      servername: 'site-a.test',
      ca: await readCa(),
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    await new Promise<void>((resolve, reject) =>
      secure.once('secureConnect', resolve).once('error', reject),
    );
    expect(secure.alpnProtocol).toBe('http/1.1'); // h2 offered, http/1.1 chosen: clean fallback
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    (agent as unknown as { createConnection: () => tls.TLSSocket }).createConnection = () => secure;
    const post = (body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = https.request(
          { host: 'site-a.test', port: origin.port, path: '/submit', method: 'POST', agent },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect(await post('one')).toBe('origin saw POST /submit body=one\n');
    expect(await post('two')).toBe('origin saw POST /submit body=two\n');
    agent.destroy();

    const [first, second] = await Promise.all(
      ['one', 'two'].map((body) =>
        proxy.waitForExchange(
          (e) => e.request.toString('latin1').endsWith(`\r\n\r\n${body}`) && e.finished,
          `POST ${body}`,
        ),
      ),
    );
    expect(first.scheme).toBe('https');
    expect(second.connectionId).toBe(first.connectionId);
  });

  it('issues an IP leaf when the client connects by IP without SNI', async () => {
    const result = await curl([
      ...via(),
      '--cacert',
      proxy.caPath,
      `https://127.0.0.1:${origin.port}/by-ip`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('origin saw GET /by-ip\n');
    const ex = await proxy.waitForExchange(
      (e) => e.request.toString('latin1').startsWith('GET /by-ip ') && e.finished,
      'the by-IP exchange',
    );
    const connection = proxy.connections.get(ex.connectionId);
    expect(connection?.tls?.sni).toBeUndefined();
    expect(connection?.tls?.certificate?.subject).toBe('CN=127.0.0.1');
  });

  it.each([
    ['untrusted.test', () => untrusted, /the certificate is self-signed and not trusted/],
    ['expired.test', () => expired, /the certificate has expired \(CERT_HAS_EXPIRED\)/],
    ['wrong-name.test', () => wrongName, /the certificate is for a different host name/],
  ])(
    'answers 502 naming the reason when the upstream certificate is bad (%s)',
    async (host, which, reason) => {
      const url = `https://${host}:${which().port}/`;
      const result = await curl([...via(), '--cacert', proxy.caPath, '-w', '\n%{http_code}', url]);
      const status = result.stdout.slice(result.stdout.lastIndexOf('\n') + 1);
      expect(status).toBe('502');
      expect(result.stdout).toMatch(reason);
      expect(result.stdout).toMatch(/subject/i);
      // …and what the user can do about it.
      expect(result.stdout).toContain('untick Settings → Upstream certificates → verified');
      expect(result.stdout).toContain('add --insecure-upstream');
      const ex = await proxy.waitForExchange(
        (e) => e.scheme === 'https' && e.host === host && e.finished,
        `the failed ${host} exchange`,
      );
      expect(ex.state).toBe('failed');
      expect(ex.error?.code).toBe('UPSTREAM_TLS_FAILED');
    },
  );

  it('records a client that rejects the Wirelens CA as a failed connection with a hint', async () => {
    // No --cacert: curl trusts only the system store, so it refuses our leaf.
    const result = await curl([...via(), `https://site-a.test:${origin.port}/rejected`]);
    expect(result.code).toBe(60);
    const connect = await proxy.waitForExchange(
      (e) => e.error?.code === 'CLIENT_TLS_REJECTED',
      'the rejected CONNECT',
    );
    expect(connect.state).toBe('failed');
    expect(connect.host).toBe('site-a.test');
    expect(connect.error?.message).toContain(
      'the client does not trust the Wirelens CA — see `wirelens ca`',
    );
    const failedConnection = [...proxy.connections.values()].find(
      (c) => c.error?.code === 'CLIENT_TLS_REJECTED',
    );
    expect(failedConnection?.tls?.sni).toBe('site-a.test');
    expect(origin.requests.some((r) => r.url === '/rejected')).toBe(false);
  });

  it('relays non-TLS bytes after CONNECT as a tunnel', async () => {
    const plain = http.createServer((req, res) => res.end(`plain ${req.url}`));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    try {
      const socket = await openTunnel(`127.0.0.1:${port}`);
      socket.write(`GET /through HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*plain \/through$/);
      const tunnel = await proxy.waitForExchange(
        (e) => e.request.toString('latin1').startsWith(`CONNECT 127.0.0.1:${port} `) && e.finished,
        'the tunnel exchange',
      );
      expect(tunnel.state).toBe('tunnel');
      expect(tunnel.tunnel?.up).toBeGreaterThan(40);
      expect(tunnel.tunnel?.down).toBeGreaterThan(40);
    } finally {
      plain.close();
    }
  });
});

describe('HTTPS interception options', () => {
  it('--insecure-upstream lets a self-signed upstream through', async () => {
    const insecure = await startProxyInChild({ dataDir, insecureUpstream: true, hostMap: HOSTS });
    try {
      const result = await curl([
        '-x',
        `http://127.0.0.1:${insecure.port}`,
        '--cacert',
        insecure.caPath,
        `https://untrusted.test:${untrusted.port}/anyway`,
      ]);
      expect(result.stdout).toBe('origin saw GET /anyway\n');
    } finally {
      await insecure.stop();
    }
  });

  it('passes no-intercept hosts through as blind tunnels (the origin certificate reaches the client)', async () => {
    const passing = await startProxyInChild({
      dataDir,
      noInterceptHosts: ['*.test'],
      hostMap: HOSTS,
    });
    try {
      // The client trusts only the test origins' CA: this works only if nothing re-signs.
      const result = await curl([
        '-x',
        `http://127.0.0.1:${passing.port}`,
        '--cacert',
        testCa.certPath,
        `https://site-a.test:${origin.port}/pinned`,
      ]);
      expect(result.stdout).toBe('origin saw GET /pinned\n');
      const tunnel = await passing.waitForExchange(
        (e) => e.finished && e.state === 'tunnel',
        'the tunnel',
      );
      expect(tunnel.tunnel?.down).toBeGreaterThan(0);
      expect([...passing.exchanges.values()].some((e) => e.scheme === 'https')).toBe(false);
    } finally {
      await passing.stop();
    }
  });

  it('also passes through when only the SNI names a no-intercept host (CONNECT by IP)', async () => {
    const passing = await startProxyInChild({
      dataDir,
      noInterceptHosts: ['site-a.test'],
      hostMap: HOSTS,
    });
    try {
      // --connect-to makes curl CONNECT to 127.0.0.1 while its SNI says site-a.test.
      const result = await curl([
        '-x',
        `http://127.0.0.1:${passing.port}`,
        '--cacert',
        testCa.certPath,
        '--connect-to',
        `site-a.test:${origin.port}:127.0.0.1:${origin.port}`,
        `https://site-a.test:${origin.port}/by-sni`,
      ]);
      expect(result.stdout).toBe('origin saw GET /by-sni\n');
      const tunnel = await passing.waitForExchange(
        (e) =>
          e.finished &&
          e.request.toString('latin1').startsWith(`CONNECT 127.0.0.1:${origin.port} `),
        'the tunnel by IP',
      );
      expect(tunnel.state).toBe('tunnel');
    } finally {
      await passing.stop();
    }
  });
});

describe('HTTPS interception and other tunnelled protocols', () => {
  it('relays a server-speaks-first protocol blindly once the client stayed silent', async () => {
    const banner = net.createServer((socket) => {
      socket.write('220 banner from the server\r\n');
      socket.on('data', (chunk: Buffer) => socket.end(`echo ${chunk.toString('latin1')}`));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => banner.listen(0, '127.0.0.1', resolve));
    const port = (banner.address() as AddressInfo).port;
    const quick = await startProxyInChild({ dataDir, firstBytesTimeoutMs: 300 });
    try {
      const socket = await openTunnel(`127.0.0.1:${port}`, quick.port);
      const greeting = await new Promise<string>((resolve) =>
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))),
      );
      expect(greeting).toBe('220 banner from the server\r\n');
      socket.write('HELO');
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
      });
      expect(reply).toBe('echo HELO');
      const tunnel = await quick.waitForExchange((e) => e.finished, 'the banner tunnel');
      expect(tunnel.state).toBe('tunnel');
    } finally {
      await quick.stop();
      banner.close();
    }
  });

  it('records a client that opens a tunnel and closes it without a byte', async () => {
    const socket = await openTunnel(`site-a.test:${origin.port}`);
    socket.end();
    const ex = await proxy.waitForExchange(
      (e) => e.finished && e.warnings.some((w) => /without sending anything/.test(w)),
      'the empty tunnel',
    );
    expect(ex.request.toString('latin1')).toMatch(/^CONNECT site-a\.test:/);
    expect(ex.state).toBe('tunnel');
  });
});

function readCa(): Promise<string> {
  return import('node:fs/promises').then((fs) => fs.readFile(proxy.caPath, 'utf8'));
}

/** Sends CONNECT to the proxy and returns the socket once `200` arrived. */
function openTunnel(authority: string, proxyPort = proxy.port): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxyPort, '127.0.0.1', () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
    });
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.removeListener('data', onData);
      if (!head.startsWith('HTTP/1.1 200')) reject(new Error(`CONNECT refused: ${head}`));
      else resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}
