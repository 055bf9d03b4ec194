import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import WebSocket from 'ws';
import type { InspectorEvent } from '../../shared/api/inspector-api';
import { startHttpOrigin, runCurl, type HttpOrigin } from '../support/origin-server';
import { rawGet, startWebFixture, tryUpgrade, type WebFixture } from './web-support';

let fx: WebFixture;
let origin: HttpOrigin;

beforeAll(async () => {
  fx = await startWebFixture();
  origin = await startHttpOrigin((req, res) => {
    const body = `hello from ${req.url}`;
    // Content-Length framing, so the raw body on the wire is exactly the text.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});

afterAll(async () => {
  await fx?.close();
  await origin?.close();
});

const apiUrl = (token?: string) =>
  `ws://127.0.0.1:${fx.web.port}/api` + (token === undefined ? '' : `?token=${token}`);

describe('web bridge: refusals', () => {
  it('refuses the WebSocket without the token, or with a wrong one, with 401 and no data', async () => {
    const none = await tryUpgrade(apiUrl());
    expect(none.status).toBe(401);
    const wrong = await tryUpgrade(
      apiUrl(fx.web.token.slice(0, -1) + (fx.web.token.endsWith('A') ? 'B' : 'A')),
    );
    expect(wrong.status).toBe(401);
    expect(none.body).not.toMatch(/exchange|proxy/i);
  });

  it('refuses plain HTTP calls to the API without the token', async () => {
    const res = await rawGet(fx.web.port, '/api');
    expect(res.status).toBe(401);
    const withToken = await rawGet(fx.web.port, `/api?token=${fx.web.token}`);
    expect(withToken.status).toBe(426);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const page = await rawGet(fx.web.port, '/', { Host: `evil.example:${fx.web.port}` });
    expect(page.status).toBe(403);
    const ws = await tryUpgrade(apiUrl(fx.web.token), { Host: `rebind.example:${fx.web.port}` });
    expect(ws.status).toBe(403);
    const otherPort = await rawGet(fx.web.port, '/', { Host: `127.0.0.1:${fx.web.port + 1}` });
    expect(otherPort.status).toBe(403);
  });

  it('refuses a foreign Origin (cross-site WebSocket hijacking) even with the token', async () => {
    const evil = await tryUpgrade(apiUrl(fx.web.token), { Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const nullOrigin = await tryUpgrade(apiUrl(fx.web.token), { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const own = await tryUpgrade(apiUrl(fx.web.token), {
      Origin: `http://localhost:${fx.web.port}`,
    });
    expect(own.status).toBe(101);
  });

  it('accepts the token in the X-Wirelens-Token header', async () => {
    const ok = await tryUpgrade(apiUrl(), { 'X-Wirelens-Token': fx.web.token });
    expect(ok.status).toBe(101);
  });
});

describe('web bridge: static files', () => {
  it('serves the renderer with content types and a strict CSP', async () => {
    const index = await rawGet(fx.web.port, '/?token=whatever');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.body).toContain('Wirelens test page');
    const js = await rawGet(fx.web.port, '/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const res = await rawGet(fx.web.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the renderer folder');
    }
    expect((await rawGet(fx.web.port, '/nope.js')).status).toBe(404);
    expect((await rawGet(fx.web.port, '/', {}, 'POST')).status).toBe(405);
  });
});

describe('web bridge: the API with the token', () => {
  it('answers calls and pushes exchanges captured by the real proxy as they happen', async () => {
    const client = fx.client();
    const added = new Promise<InspectorEvent>((resolve) => {
      client.onEvent((event) => {
        if (event.type === 'exchanges-added' && event.items.some((i) => i.path === '/live-test'))
          resolve(event);
      });
    });
    const status = await client.getProxyStatus();
    expect(status).toMatchObject({ state: 'listening', address: { port: fx.proxyPort } });

    const curl = await runCurl([
      '-x',
      `http://127.0.0.1:${fx.proxyPort}`,
      `${origin.url}/live-test`,
    ]);
    expect(curl.stdout.toString()).toBe('hello from /live-test');

    const event = await added;
    if (event.type !== 'exchanges-added') throw new Error('unreachable');
    const summary = event.items.find((i) => i.path === '/live-test')!;
    expect(summary).toMatchObject({ method: 'GET', source: 'proxy' });

    // The details and body bytes come back through the same socket (bytes as base64 on the wire).
    const listed = await client.listExchanges({ filter: 'path:/live-test' });
    expect(listed.items.map((i) => i.id)).toContain(summary.id);
    let detail = await client.getExchange(summary.id);
    for (let i = 0; i < 50 && detail?.summary.state !== 'complete'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      detail = await client.getExchange(summary.id);
    }
    expect(detail?.response?.startLine).toBe('HTTP/1.1 200 OK');
    const body = await client.readBody({ id: summary.id, side: 'response', view: 'raw' });
    expect(body.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(body.bytes).toString()).toBe('hello from /live-test');
  });

  it('returns HAR exports as text and never writes a file chosen by the page', async () => {
    const client = fx.client();
    const har = await client.exportHar({});
    expect(JSON.parse(har.text!).log.version).toBe('1.2');
    await expect(
      client.exportHar({ path: '/tmp/wirelens-should-not-exist.har' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('answers unknown methods and bad arguments with INVALID_ARGUMENT', async () => {
    const ws = new WebSocket(apiUrl(fx.web.token));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const replies: unknown[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const reply = JSON.parse(String(data));
        if ('id' in reply) replies.push(reply);
        if (replies.length === 4) resolve();
      }),
    );
    ws.send(JSON.stringify({ id: 1, method: 'constructor', params: [] }));
    ws.send(JSON.stringify({ id: 2, method: 'getExchange', params: ['../../etc'] }));
    ws.send(
      JSON.stringify({
        id: 3,
        method: 'readBody',
        params: [{ id: 1, side: 'sideways', view: 'raw' }],
      }),
    );
    ws.send('not json');
    await done;
    ws.close();
    expect(replies).toEqual(
      expect.arrayContaining([
        {
          id: 1,
          error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('Unknown method') },
        },
        { id: 2, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
        { id: 3, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
        { id: -1, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
      ]),
    );
  });

  it('rejects calls in flight with DISCONNECTED when the server goes away (client side)', async () => {
    // A server that accepts the upgrade and then drops the connection.
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const { createWsClient } = await import('../../renderer/src/api/ws-client');
    const client = createWsClient({
      url: `ws://127.0.0.1:${port}/api?token=x`,
      connect: (u) => new WebSocket(u) as never,
      minRetryMs: 10_000,
    });
    await expect(client.getProxyStatus()).rejects.toMatchObject({ code: 'DISCONNECTED' });
    client.dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
