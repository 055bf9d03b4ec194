/**
 * Connection-level behaviour: pipelining in order, the proxy's own page, CONNECT blind
 * tunnels, WebSocket upgrades relayed and recorded, and a graceful stop.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  hasResponses,
  rawExchange,
  startHttpOrigin,
  startRawOrigin,
  type HttpOrigin,
  type RawOrigin,
} from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let h: Harness;
let origin: HttpOrigin;
let echo: RawOrigin;

beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    // The first request answers late: pipelined answers must still come in order.
    const delay = req.url === '/slow' ? 300 : 0;
    setTimeout(
      () => res.writeHead(200, { 'Content-Length': String(req.url!.length) }).end(req.url),
      delay,
    );
  });
  echo = await startRawOrigin((c) => {
    c.socket.on('data', (d) => c.socket.write(d));
  });
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
  await origin?.close();
  await echo?.close();
});

describe('connections', () => {
  it('answers pipelined requests in order on one connection', async () => {
    const before = h.ended.length;
    const req = (p: string): string => `GET ${origin.url}${p} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const r = await rawExchange(h.port, req('/slow') + req('/b') + req('/c'), {
      until: hasResponses(3),
    });
    const bodies = r.text
      .split('HTTP/1.1 200 OK')
      .slice(1)
      .map((part) => part.split('\r\n\r\n')[1]);
    expect(bodies).toEqual(['/slow', '/b', '/c']);
    const ex = (await h.waitForEnded(before + 3)).slice(before);
    expect(ex.map((e) => e.indexOnConnection)).toEqual([0, 1, 2]);
    expect(new Set(ex.map((e) => e.connectionId)).size).toBe(1);
  });

  it('keeps reading a pipelined request whose body arrives after the first response', async () => {
    const before = h.ended.length;
    const s = net.connect(h.port, '127.0.0.1');
    let text = '';
    const waitFor = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (hasResponses(n)(Buffer.from(text, 'latin1'))) {
            s.off('data', check);
            resolve();
          }
        };
        s.on('data', check);
        check();
      });
    s.on('data', (d: Buffer) => (text += d.toString('latin1')));
    s.write(
      `GET ${origin.url}/slow HTTP/1.1\r\nHost: x\r\n\r\n` +
        `POST ${origin.url}/p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345`,
    );
    await waitFor(1);
    s.write('67890'); // the rest of the second request's body, only now
    await waitFor(2);
    s.destroy();
    expect(text).toMatch(/\/slow[\s\S]*HTTP\/1\.1 200 OK[\s\S]*\/p$/);
    const ex = (await h.waitForEnded(before + 2)).slice(before);
    expect(ex.map((e) => e.method)).toEqual(['GET', 'POST']);
  });

  it('answers a client that half-closes right after its request (FIN after the head)', async () => {
    const before = h.ended.length;
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(h.port, '127.0.0.1', () =>
        s.end(`GET ${origin.url}/half HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString('latin1')));
      s.on('close', () => resolve(text));
      s.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\/half$/);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.status).toBe(200);
  });

  it('answers requests aimed at itself with its own page, never looping', async () => {
    const before = h.ended.length;
    const forms = [
      `GET http://127.0.0.1:${h.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET http://localhost:${h.port}/x HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n\r\n`,
    ];
    for (const f of forms) {
      const r = await rawExchange(h.port, f, { until: hasResponses(1) });
      expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(r.text).toContain('This is the Wirelens proxy');
    }
    const ex = (await h.waitForEnded(before + 3)).slice(before);
    expect(ex.every((e) => e.status === 200 && e.error === null)).toBe(true);
    expect(ex.length).toBe(3); // no extra exchange: nothing was forwarded to ourselves
  });

  it('relays CONNECT as a blind tunnel and records it with byte counts', async () => {
    const before = h.ended.length;
    const r = await rawExchange(
      h.port,
      [
        `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\nHost: 127.0.0.1:${echo.port}\r\n\r\n`,
        'ping-1234',
      ],
      { until: (b) => b.includes('ping-1234') },
    );
    expect(r.text).toBe('HTTP/1.1 200 Connection Established\r\n\r\nping-1234');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    const d = h.detail(ex.id);
    expect(d.summary.state).toBe('tunnel');
    expect(d.summary.scheme).toBe('tunnel');
    expect(d.summary.host).toBe('127.0.0.1');
    expect(d.summary.port).toBe(echo.port);
    expect(d.tunnel).toEqual({ bytesUp: 9, bytesDown: 9 });
    expect(d.summary.durationMs).not.toBeNull();
  });

  it('CONNECT to a closed port → 502 and a failed exchange', async () => {
    const s = net.createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const before = h.ended.length;
    const r = await rawExchange(h.port, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 502 /);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.error?.code).toBe('UPSTREAM_CONNECT_FAILED');
  });

  it('relays a WebSocket upgrade and records the 101 and the byte counts', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const wsPort = (wss.address() as net.AddressInfo).port;
    wss.on('connection', (sock) => sock.on('message', (m) => sock.send(`echo:${m.toString()}`)));
    const before = h.ended.length;
    try {
      // The ws client speaks to the proxy (origin-form + Host, as a transparent client would).
      const client = new WebSocket(`ws://127.0.0.1:${wsPort}/chat`, {
        createConnection: () => net.connect(h.port, '127.0.0.1'),
      });
      const reply = await new Promise<string>((resolve, reject) => {
        client.once('open', () => client.send('hello'));
        client.once('message', (m) => resolve(m.toString()));
        client.once('error', reject);
      });
      expect(reply).toBe('echo:hello');
      client.close();
      const [ex] = (await h.waitForEnded(before + 1)).slice(before);
      expect(ex.status).toBe(101);
      const d = h.detail(ex.id);
      expect(d.summary.state).toBe('tunnel');
      expect(d.request?.headers.some(([n, v]) => n === 'Upgrade' && v === 'websocket')).toBe(true);
      expect(d.tunnel!.bytesUp).toBeGreaterThan(5);
      expect(d.tunnel!.bytesDown).toBeGreaterThan(10);
    } finally {
      wss.close();
    }
  });

  it('reuses upstream connections, and drops one the origin closed while idle', async () => {
    const o = await startHttpOrigin((req, res) =>
      res.writeHead(200, { 'Content-Length': '2' }).end('ok'),
    );
    o.server.keepAliveTimeout = 200; // the origin closes idle connections quickly
    const closed: Promise<void>[] = [];
    o.server.on('connection', (s) => closed.push(new Promise((r) => s.once('close', () => r()))));
    try {
      const get = (): string => `GET ${o.url}/k HTTP/1.1\r\nHost: x\r\n\r\n`;
      const two = await rawExchange(h.port, get() + get(), { until: hasResponses(2) });
      expect(two.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
      expect(o.connections).toHaveLength(1); // the second request reused the pooled connection
      await closed[0]; // the origin closed it while it sat idle in the pool
      const again = await rawExchange(h.port, get(), { until: hasResponses(1) });
      expect(again.text).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(o.connections).toHaveLength(2);
    } finally {
      await o.close();
    }
  });

  it('keeps the upstream connection when a client closes its own, not after HTTP/1.0', async () => {
    const o = await startHttpOrigin((req, res) =>
      res.writeHead(200, { 'Content-Length': '2' }).end('ok'),
    );
    try {
      // `Connection: close` is the client's, hop-by-hop: the origin never saw it.
      const closing = `GET ${o.url}/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
      for (let i = 0; i < 3; i++) {
        const r = await rawExchange(h.port, closing, { until: hasResponses(1) });
        expect(r.text).toMatch(/^HTTP\/1\.1 200 OK/);
      }
      expect(o.connections).toHaveLength(1);
      // An HTTP/1.0 request goes upstream as HTTP/1.0, which asks the origin to close.
      const old = await rawExchange(h.port, `GET ${o.url}/o HTTP/1.0\r\nHost: x\r\n\r\n`, {
        until: hasResponses(1),
      });
      expect(old.text).toMatch(/^HTTP\/1\.1 200 OK/);
      const after = await rawExchange(h.port, closing, { until: hasResponses(1) });
      expect(after.text).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(o.connections).toHaveLength(2);
    } finally {
      await o.close();
    }
  });

  it('stop() waits for an in-flight exchange, then refuses new connections', async () => {
    const local = await startHarness();
    const slow = await startRawOrigin(async (c) => {
      await c.waitFor('\r\n\r\n');
      setTimeout(() => c.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone'), 300);
    });
    try {
      const pending = rawExchange(local.port, `GET ${slow.url}/ HTTP/1.1\r\nHost: x\r\n\r\n`, {
        until: hasResponses(1),
      });
      // Stop only once the origin has the request (so it really is in flight).
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (slow.received.length > 0 && slow.received[0].includes('\r\n\r\n')) {
            clearInterval(t);
            resolve();
          }
        }, 10);
      });
      await local.proxy.stop({ graceMs: 10_000 });
      expect((await pending).text).toMatch(/done$/);
      await expect(rawExchange(local.port, 'GET / HTTP/1.1\r\n\r\n')).resolves.toMatchObject({
        bytes: Buffer.alloc(0),
      });
    } finally {
      await local.close();
      await slow.close();
    }
  });
});
