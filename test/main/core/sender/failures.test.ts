/**
 * Every way a send can go wrong gives a stable code, a plain message, the bytes received
 * so far, and a failed exchange in the store.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../../../main/core/sender/send-request';
import type { SendOptions } from '../../../../shared/api/inspector-api';
import { MemoryRecorder } from '../../../support/memory-recorder';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const GET = bytes('GET /f HTTP/1.1\r\nHost: h\r\n\r\n');

let scripted: ScriptedServer;
let target: { host: string; port: number; tls: boolean };
beforeAll(async () => {
  scripted = await startScriptedServer();
  target = { host: '127.0.0.1', port: scripted.port, tls: false };
});
afterAll(() => scripted.close());

async function failedSend(options: SendOptions, raw = GET, t = target) {
  const recorder = new MemoryRecorder();
  const result = await sendRequest({ raw, target: t, options }, { recorder });
  expect(recorder.exchanges).toHaveLength(1);
  const ex = recorder.exchanges[0];
  expect(ex.state).toBe('failed');
  expect(ex.error).toEqual(result.error);
  expect(ex.requestBytes.equals(Buffer.from(result.sent))).toBe(true);
  return { result, ex, recorder };
}

describe('connection failures', () => {
  it('refused', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { result, recorder } = await failedSend({}, GET, { host: '127.0.0.1', port, tls: false });
    expect(result.error?.code).toBe('UPSTREAM_CONNECT_FAILED');
    expect(result.error?.message).toBe(
      `could not connect to http://127.0.0.1:${port}: connection refused, nothing listens on that port (ECONNREFUSED)`,
    );
    expect(result.response).toBeNull();
    expect(recorder.connections[0].error?.code).toBe('UPSTREAM_CONNECT_FAILED');
    expect(recorder.connections[0].closedAt).toBeDefined();
  });

  it('DNS failure on a .invalid name', async () => {
    const raw = bytes('GET / HTTP/1.1\r\nHost: something.invalid\r\n\r\n');
    const recorder = new MemoryRecorder();
    const result = await sendRequest({ raw }, { recorder });
    expect(result.error).toEqual({
      code: 'UPSTREAM_DNS_FAILED',
      message: 'could not resolve something.invalid: no such host name (ENOTFOUND)',
    });
    expect(result.timings.dnsEnd).toBeDefined();
    expect(result.timings.connectStart).toBeUndefined();
    expect(recorder.exchanges[0].state).toBe('failed');
  });

  it('connect timeout: a server that never answers the TLS handshake', async () => {
    void scripted.nextConnection(); // a plain TCP server: accepts, never says a TLS word
    const { result } = await failedSend({ timeouts: { connectMs: 300 } }, GET, {
      ...target,
      tls: true,
    });
    expect(result.error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(result.error?.message).toMatch(
      /^connect \(tls\) timeout: nothing from https:\/\/127\.0\.0\.1:\d+ within 300 ms$/,
    );
  });

  it('no target at all rejects with SEND_NO_TARGET before anything is sent', async () => {
    await expect(sendRequest({ raw: bytes('GET / HTTP/1.1\r\n\r\n') })).rejects.toMatchObject({
      code: 'SEND_NO_TARGET',
    });
  });
});

describe('response failures keep what arrived', () => {
  it('first-byte timeout: accepted, never answered', async () => {
    scripted.nextConnection(); // accepts and stays silent
    const { result, ex } = await failedSend({ timeouts: { firstByteMs: 300 } });
    expect(result.error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(result.error?.message).toMatch(/^first-byte timeout/);
    expect(result.response).toBeNull();
    expect(ex.timings.requestEnd).toBeDefined();
  });

  it('idle timeout mid-body: the partial response is in the result and the store', async () => {
    const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(partial);
    });
    const { result, ex } = await failedSend({ timeouts: { idleMs: 300 } });
    expect(result.error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(result.error?.message).toMatch(/^idle timeout/);
    expect(latin1(result.response!.raw)).toBe(partial);
    expect(result.response!.startLine).toBe('HTTP/1.1 200 OK');
    expect(ex.responseBytes.toString('latin1')).toBe(partial);
    expect(ex.response?.complete).toBe(false);
    expect(ex.response?.layout?.body).toEqual({ start: partial.length - 10, end: partial.length });
  });

  it('total timeout: a server that trickles forever', async () => {
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const drip = setInterval(() => c.write('1\r\nx\r\n'), 50);
      c.closed.then(() => clearInterval(drip));
    });
    const { result } = await failedSend({ timeouts: { totalMs: 500, idleMs: 5000 } });
    expect(result.error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(result.error?.message).toMatch(/^total timeout/);
    expect(latin1(result.response!.raw)).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*1\r\nx\r\n$/);
  });

  it('server reset mid-body', async () => {
    const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nabc';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(partial);
      setTimeout(() => c.reset(), 50);
    });
    const { result, ex } = await failedSend({});
    expect(result.error?.code).toBe('UPSTREAM_RESET');
    expect(result.error?.message).toMatch(/reset the connection \(ECONNRESET\)/);
    expect(latin1(result.response!.raw)).toBe(partial);
    expect(ex.response?.complete).toBe(false);
  });

  it('server closes before the body is complete', async () => {
    const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nabc';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.end(partial);
    });
    const { result } = await failedSend({});
    expect(result.error?.code).toBe('UPSTREAM_RESET');
    expect(result.error?.message).toMatch(
      /closed the connection before the response was complete \(42 bytes received\)/,
    );
  });

  it('server closes without answering', async () => {
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.end();
    });
    const { result } = await failedSend({});
    expect(result.error?.message).toMatch(/closed the connection without answering$/);
    expect(result.response).toBeNull();
  });

  it('a response that cannot be framed (bad Content-Length) is a parse error', async () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\nabc';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(wire);
    });
    const { result, ex } = await failedSend({ timeouts: { idleMs: 5000 } });
    expect(result.error?.code).toBe('UPSTREAM_PARSE_ERROR');
    expect(result.error?.message).toMatch(
      /sent a response that cannot be read: invalid Content-Length "ten"/,
    );
    expect(latin1(result.response!.raw)).toBe(wire);
    expect(ex.responseBytes.toString('latin1')).toBe(wire);
  });

  it('a response that is not HTTP is still shown, with its parse warnings', async () => {
    const wire = 'SSH-2.0-OpenSSH_9.6\r\n\r\nbanner';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.end(wire);
    });
    const recorder = new MemoryRecorder();
    const result = await sendRequest({ raw: GET, target }, { recorder });
    expect(result.error).toBeNull();
    expect(latin1(result.response!.raw)).toBe(wire);
    expect(result.response!.startLine).toBe('SSH-2.0-OpenSSH_9.6');
    expect(result.warnings.some((w) => w.startsWith('response: '))).toBe(true);
    expect(recorder.exchanges[0].response?.issues.map((i) => i.code)).toContain(
      'INVALID_STATUS_LINE',
    );
  });
});

describe('cancellation', () => {
  it('an in-flight send is cancelled with SEND_CANCELLED and stored as failed', async () => {
    const controller = new AbortController();
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12');
      // Cancel once the partial response reached the sender.
      setTimeout(() => controller.abort(), 100);
    });
    const recorder = new MemoryRecorder();
    const result = await sendRequest({ raw: GET, target }, { recorder, signal: controller.signal });
    expect(result.error).toEqual({ code: 'SEND_CANCELLED', message: 'the send was cancelled' });
    expect(latin1(result.response!.raw)).toMatch(/\r\n\r\n12$/);
    expect(recorder.exchanges[0].state).toBe('failed');
  });

  it('a send cancelled before it starts never connects', async () => {
    const before = scripted.connections.length;
    const controller = new AbortController();
    controller.abort();
    const result = await sendRequest({ raw: GET, target }, { signal: controller.signal });
    expect(result.error?.code).toBe('SEND_CANCELLED');
    expect(result.timings.connectStart).toBeUndefined();
    expect(scripted.connections.length).toBe(before);
  });
});
