/**
 * Reading what comes back: normal, chunked with trailers, close-delimited, HEAD,
 * 100-continue, pipelining and keep-alive — on local servers, recorded as exchanges.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../../main/core/sender/connection-pool';
import { sendPipelined, sendRequest } from '../../../../main/core/sender/send-request';
import { MemoryRecorder } from '../../../support/memory-recorder';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');
// Short enough that a framing bug shows up as a failed send, not a hung test.
const QUICK = { timeouts: { firstByteMs: 10_000, idleMs: 5_000 } };

let scripted: ScriptedServer;
let target: { host: string; port: number; tls: false };
beforeAll(async () => {
  scripted = await startScriptedServer();
  target = { host: '127.0.0.1', port: scripted.port, tls: false };
});
afterAll(() => scripted.close());

describe('against a Node http server', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('Content-Type', 'text/plain');
        res.end(`${req.method} ${req.url} ${req.headers.host} ${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a normal exchange, its target taken from the Host header, recorded as composer', async () => {
    const recorder = new MemoryRecorder();
    const raw = bytes(`POST /hello?x=1 HTTP/1.1\nHost: 127.0.0.1:${port}\n\nabc`);
    const result = await sendRequest({ raw, options: QUICK }, { recorder });
    expect(result.error).toBeNull();
    expect(result.target).toEqual({ host: '127.0.0.1', port, tls: false });
    const response = result.response!;
    expect(response.startLine).toBe('HTTP/1.1 200 OK');
    expect(latin1(response.raw.subarray(response.bodyOffset))).toBe(
      `POST /hello?x=1 127.0.0.1:${port} abc`,
    );
    const t = result.timings;
    for (const mark of [
      'dnsStart',
      'dnsEnd',
      'connectStart',
      'connectEnd',
      'requestEnd',
    ] as const) {
      expect(t[mark]).toBeGreaterThanOrEqual(t.start);
    }
    expect(t.responseStart!).toBeGreaterThanOrEqual(t.requestEnd!);
    expect(t.responseEnd!).toBeGreaterThanOrEqual(t.responseStart!);

    expect(recorder.exchanges).toHaveLength(1);
    const ex = recorder.exchanges[0];
    expect(result.exchangeId).toBe(ex.id);
    expect(ex.init.source).toBe('composer');
    expect(ex.init.scheme).toBe('http');
    expect(ex.requestBytes.equals(Buffer.from(result.sent))).toBe(true);
    expect(ex.responseBytes.equals(Buffer.from(response.raw))).toBe(true);
    expect(ex.request?.startLine).toBe('POST /hello?x=1 HTTP/1.1');
    expect(ex.response?.complete).toBe(true);
    expect(ex.state).toBe('complete');
    expect(ex.timings.responseEnd).toBe(t.responseEnd);
    expect(ex.warnings).toContain('Content-Length: 3 added');
    const conn = recorder.connections[0];
    expect(conn).toMatchObject({ source: 'composer', remoteAddress: '127.0.0.1' });
    expect(conn.target).toEqual({ host: '127.0.0.1', port, tls: false });
  });

  it('an absolute-form URL gives the target', async () => {
    const raw = bytes(`GET http://127.0.0.1:${port}/abs HTTP/1.1\r\nHost: other.test\r\n\r\n`);
    const result = await sendRequest({ raw, options: QUICK });
    expect(result.target).toEqual({ host: '127.0.0.1', port, tls: false });
    expect(latin1(result.response!.raw)).toContain('GET http://127.0.0.1:');
  });
});

describe('framing of scripted responses', () => {
  it('chunked with trailers: body kept as on the wire, trailers recorded', async () => {
    const wire =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
      '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n';
    const served = scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      // Split mid-chunk to exercise incremental reading.
      c.write(wire.slice(0, 70));
      setTimeout(() => c.write(wire.slice(70)), 20);
    });
    const recorder = new MemoryRecorder();
    const result = await sendRequest(
      { raw: bytes('GET /c HTTP/1.1\r\nHost: h\r\n\r\n'), target, options: QUICK },
      { recorder },
    );
    await served;
    expect(result.error).toBeNull();
    expect(latin1(result.response!.raw)).toBe(wire);
    const record = recorder.exchanges[0].response!;
    expect(record.framing).toBe('chunked');
    expect(record.trailers).toEqual([['X-Sum', '42']]);
    expect(record.layout!.body.end).toBe(wire.length);
  });

  it('close-delimited: the body ends when the server closes', async () => {
    const wire = 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.end(wire);
    });
    const recorder = new MemoryRecorder();
    const result = await sendRequest(
      { raw: bytes('GET /close HTTP/1.1\r\nHost: h\r\n\r\n'), target, options: QUICK },
      { recorder },
    );
    expect(result.error).toBeNull();
    expect(latin1(result.response!.raw)).toBe(wire);
    expect(recorder.exchanges[0].response?.framing).toBe('close');
    expect(recorder.exchanges[0].state).toBe('complete');
  });

  it('HEAD: a Content-Length with no body does not wait for one', async () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(wire); // and keep the connection open
    });
    const result = await sendRequest({
      raw: bytes('HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n'),
      target,
      options: QUICK,
    });
    expect(result.error).toBeNull();
    expect(latin1(result.response!.raw)).toBe(wire);
    expect(result.response!.bodyOffset).toBe(wire.length);
  });

  it('100-continue: the interim response is kept, the final one is the response', async () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const final = 'HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(interim);
      await c.waitForText('data');
      c.write(final);
    });
    const recorder = new MemoryRecorder();
    const raw = bytes(
      'PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata',
    );
    const result = await sendRequest({ raw, target, options: QUICK }, { recorder });
    expect(result.error).toBeNull();
    expect(result.response!.startLine).toBe('HTTP/1.1 201 Created');
    expect(latin1(result.response!.raw)).toBe(interim + final);
    expect(latin1(result.response!.raw.subarray(result.response!.bodyOffset))).toBe('done');
    const ex = recorder.exchanges[0];
    expect(ex.informational.map((m) => m.startLine)).toEqual(['HTTP/1.1 100 Continue']);
    expect(ex.response?.layout?.startLine.start).toBe(interim.length);
  });
});

describe('connection reuse', () => {
  it('pipelining: three requests on one connection, three responses in order', async () => {
    const responses = [
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none',
      'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n', // answers the HEAD
      'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n',
    ];
    const served = scripted.nextConnection().then(async (c) => {
      await c.waitForText('HTTP/1.1\r\n', 3);
      await c.waitFor((b) => b.toString().endsWith('xyz'));
      c.write(responses.join('')); // one write: the sender must split the stream
      return c;
    });
    const recorder = new MemoryRecorder();
    const results = await sendPipelined(
      [
        bytes('GET /1 HTTP/1.1\r\nHost: h\r\n\r\n'),
        bytes('HEAD /2 HTTP/1.1\r\nHost: h\r\n\r\n'),
        bytes('POST /3 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz'),
      ],
      target,
      QUICK,
      { recorder },
    );
    const conn = await served;
    expect(results.map((r) => r.error)).toEqual([null, null, null]);
    expect(results.map((r) => latin1(r.response!.raw))).toEqual(responses);
    for (const [i, r] of results.entries()) {
      expect(r.timings.responseStart!).toBeLessThanOrEqual(r.timings.responseEnd!);
      if (i > 0)
        expect(r.timings.responseStart!).toBeGreaterThanOrEqual(
          results[i - 1].timings.responseStart!,
        );
    }
    expect(scripted.connections.filter((c) => c === conn)).toHaveLength(1);
    expect(recorder.connections).toHaveLength(1);
    expect(recorder.exchanges.map((e) => e.init.indexOnConnection)).toEqual([0, 1, 2]);
    expect(recorder.exchanges.map((e) => e.responseBytes.toString('latin1'))).toEqual(responses);
    expect(recorder.exchanges.every((e) => e.state === 'complete')).toBe(true);
  });

  it('keepAlive: the second send to the same target reuses the connection', async () => {
    const pool = new ConnectionPool();
    const before = scripted.connections.length;
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n', 1);
      c.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
      await c.waitForText('\r\n\r\n', 2);
      c.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb');
    });
    const recorder = new MemoryRecorder();
    const deps = { recorder, pool };
    const options = { ...QUICK, keepAlive: true };
    const raw = bytes('GET /k HTTP/1.1\r\nHost: h\r\n\r\n');
    const first = await sendRequest({ raw, target, options }, deps);
    expect(pool.idleCount).toBe(1);
    const second = await sendRequest({ raw, target, options }, deps);
    expect([first.error, second.error]).toEqual([null, null]);
    expect(latin1(second.response!.raw)).toMatch(/\r\n\r\nb$/);
    expect(scripted.connections.length - before).toBe(1);
    expect(recorder.connections).toHaveLength(1);
    expect(recorder.exchanges.map((e) => e.init.indexOnConnection)).toEqual([0, 1]);
    // The reused connection has no connect phase of its own.
    expect(second.timings.connectStart).toBeUndefined();
    // "Connection: close" answered: not kept.
    expect(pool.idleCount).toBe(0);
    pool.closeAll();
  });

  it('keepAlive under alternating recorders: one connection, no listener pile-up', async () => {
    const pool = new ConnectionPool();
    const before = scripted.connections.length;
    const sends = 12;
    scripted.nextConnection().then(async (c) => {
      for (let n = 1; n <= sends; n++) {
        await c.waitForText('\r\n\r\n', n);
        c.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
    const recorder = new MemoryRecorder();
    const raw = bytes('GET /alt HTTP/1.1\r\nHost: h\r\n\r\n');
    for (let n = 0; n < sends; n++) {
      const deps = n % 2 === 0 ? { pool, recorder } : { pool };
      const result = await sendRequest(
        { raw, target, options: { ...QUICK, keepAlive: true } },
        deps,
      );
      expect(result.error).toBeNull();
    }
    expect(scripted.connections.length - before).toBe(1);
    // Each switch back to the recorder is a new connection record for it (it missed sends).
    expect(recorder.connections).toHaveLength(sends / 2);
    const idle = pool.take(ConnectionPool.keyOf(target))!;
    expect(idle.socket.listenerCount('close')).toBeLessThanOrEqual(3);
    idle.socket.destroy();
  });

  it('keepAlive: a CONNECT answered 200 becomes a tunnel and is not pooled', async () => {
    const pool = new ConnectionPool();
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    });
    const result = await sendRequest(
      {
        raw: bytes('CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n'),
        target,
        options: { ...QUICK, keepAlive: true },
      },
      { pool },
    );
    expect(result.error).toBeNull();
    expect(result.response?.startLine).toBe('HTTP/1.1 200 Connection Established');
    expect(pool.idleCount).toBe(0);
  });

  it('without keepAlive every send opens a fresh connection', async () => {
    const before = scripted.connections.length;
    const answer = (c: Awaited<ReturnType<ScriptedServer['nextConnection']>>) =>
      c.waitForText('\r\n\r\n').then(() => c.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    scripted.nextConnection().then(answer);
    await sendRequest({ raw: bytes('GET / HTTP/1.1\r\nHost: h\r\n\r\n'), target, options: QUICK });
    scripted.nextConnection().then(answer);
    await sendRequest({ raw: bytes('GET / HTTP/1.1\r\nHost: h\r\n\r\n'), target, options: QUICK });
    expect(scripted.connections.length - before).toBe(2);
    await scripted.connections[scripted.connections.length - 1].closed;
  });
});
