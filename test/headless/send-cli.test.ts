/**
 * `wirelens send` as a user runs it: a child process fed by stdin or a file, talking to
 * local servers; stdout, stderr, exit codes, and the exchange left in the store.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../main/core/store/exchange-store';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server';
import { createTestCa, type TestCa } from '../support/test-ca';

const BIN = path.resolve('main/headless/bin/wirelens.mjs');
let tmp: string;
let server: http.Server;
let port: number;

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function wirelens(args: string[], stdin?: string, dataDir = path.join(tmp, 'data')): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'send', ...args], {
      env: { ...process.env, WIRELENS_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelens-send-cli-'));
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('X-Seen-Host', String(req.headers.host));
      res.end(`${req.method} ${req.url} [${body}]`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

// Each case spawns tsx (a second or more on a loaded 2-core machine): generous bounds.
describe('wirelens send', { timeout: 60_000 }, () => {
  it('stdin → raw response on stdout, exit 0, recorded in the data folder', async () => {
    const dataDir = path.join(tmp, 'recorded');
    const run = await wirelens(
      ['--data-dir', dataDir],
      `POST /form HTTP/1.1\nHost: 127.0.0.1:${port}\n\nhello`,
    );
    expect(run.stderr).toBe('warning: Content-Length: 5 added\n');
    expect(run.code).toBe(0);
    const text = run.stdout.toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain(`X-Seen-Host: 127.0.0.1:${port}\r\n`);
    expect(text.endsWith('\r\n\r\nPOST /form [hello]')).toBe(true);

    const store = await ExchangeStore.open(dataDir);
    try {
      const { items } = store.list({});
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        source: 'composer',
        method: 'POST',
        status: 200,
        state: 'complete',
      });
      const raw = await store.readRaw(items[0].id, 'response');
      expect(Buffer.from(raw).equals(run.stdout)).toBe(true);
      const sent = await store.readRaw(items[0].id, 'request');
      expect(Buffer.from(sent).toString('latin1')).toBe(
        `POST /form HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\n\r\nhello`,
      );
    } finally {
      await store.close();
    }
  });

  it('FILE with --exact and --target: the bytes arrive untouched, warnings on stderr', async () => {
    const raw: ScriptedServer = await startScriptedServer();
    try {
      const request = 'GET /x HTTP/1.1\nHost: elsewhere.test\nContent-Length: 3\n\n';
      const file = path.join(tmp, 'request.http');
      writeFileSync(file, request);
      raw.nextConnection().then(async (c) => {
        await c.waitFor((b) => b.length >= request.length);
        c.end('HTTP/1.1 204 No Content\r\n\r\n');
      });
      const run = await wirelens(['--exact', '--target', `127.0.0.1:${raw.port}`, file]);
      expect(run.code).toBe(0);
      expect(raw.connections[0].received().toString('latin1')).toBe(request);
      expect(run.stdout.toString()).toBe('HTTP/1.1 204 No Content\r\n\r\n');
      expect(run.stderr).toContain(
        'warning: the head has 4 bare LF line ending(s) instead of CRLF',
      );
      expect(run.stderr).toContain('warning: Content-Length says 3, body has 0 bytes');
    } finally {
      await raw.close();
    }
  });

  it('--json prints one object with the request, the response and timings', async () => {
    const run = await wirelens(
      ['--json', '--no-fix-length'],
      `PUT /j HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2\r\n\r\nhi`,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.toString().trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]);
    expect(json.request).toEqual({
      startLine: 'PUT /j HTTP/1.1',
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Content-Length', '2'],
      ],
      bodyBase64: Buffer.from('hi').toString('base64'),
    });
    expect(json.response.startLine).toBe('HTTP/1.1 200 OK');
    expect(json.response.headers).toContainEqual(['X-Seen-Host', `127.0.0.1:${port}`]);
    expect(Buffer.from(json.response.bodyBase64, 'base64').toString()).toBe('PUT /j [hi]');
    expect(json.timings.responseEnd).toBeGreaterThanOrEqual(json.timings.start);
    expect(json.warnings).toEqual([]);
    expect(json.error).toBeNull();
  });

  it('--tls --insecure to a local HTTPS server; without --insecure a TLS error, exit 1', async () => {
    const ca: TestCa = await createTestCa();
    const leaf = await ca.issue({ hosts: ['localhost'] });
    const tlsServer = await startScriptedServer({ tls: { key: leaf.keyPem, cert: leaf.certPem } });
    const answer = () =>
      tlsServer.nextConnection().then(async (c) => {
        await c.waitForText('\r\n\r\n');
        c.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
    try {
      const request = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
      const target = ['--tls', '--target', `127.0.0.1:${tlsServer.port}`];
      answer();
      const ok = await wirelens([...target, '--servername', 'localhost', '--insecure'], request);
      expect(ok.code).toBe(0);
      expect(ok.stdout.toString()).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      void tlsServer.nextConnection();
      const refused = await wirelens(target, request);
      expect(refused.code).toBe(1);
      expect(refused.stdout.length).toBe(0);
      expect(refused.stderr).toMatch(
        /^wirelens send: UPSTREAM_TLS_FAILED: TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed: [^\n]+\n$/,
      );
    } finally {
      await tlsServer.close();
      ca.dispose();
    }
  });

  it('connection refused: exit 1 with a one-line reason', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const run = await wirelens(
      ['--target', `127.0.0.1:${deadPort}`],
      'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `wirelens send: UPSTREAM_CONNECT_FAILED: could not connect to http://127.0.0.1:${deadPort}: connection refused, nothing listens on that port (ECONNREFUSED)\n`,
    );
  });

  it('bad usage and no target: exit 2', async () => {
    const unknown = await wirelens(['--bogus'], '');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option "--bogus"/);
    const noTarget = await wirelens([], 'GET / HTTP/1.1\r\n\r\n');
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/^wirelens send: SEND_NO_TARGET: /);
  });
});
