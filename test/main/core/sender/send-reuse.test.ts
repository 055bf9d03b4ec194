/**
 * What the sender's per-send shortcuts must not change: a request buffer edited in place
 * between sends is sent as edited (the last prepared request is remembered by content),
 * an idle pooled connection still expires and still drops on a late server byte, and a
 * kept-alive connection carries many sends without piling up listeners.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../../main/core/sender/connection-pool';
import { sendRequest } from '../../../../main/core/sender/send-request';
import { MemoryRecorder } from '../../../support/memory-recorder';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

let scripted: ScriptedServer;
let target: { host: string; port: number; tls: false };
beforeAll(async () => {
  scripted = await startScriptedServer();
  target = { host: '127.0.0.1', port: scripted.port, tls: false };
});
afterAll(() => scripted.close());

describe('sender shortcuts keep behaviour', () => {
  it('a buffer edited in place between sends is sent as edited, with its own warnings', async () => {
    const pool = new ConnectionPool();
    const received = scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n', 1);
      c.write(OK);
      await c.waitForText('\r\n\r\n', 2);
      c.write(OK);
      return c;
    });
    // Same length both times, so only the content tells them apart.
    const raw = Buffer.from('POST /a HTTP/1.1\nHost: h\nContent-Length: 3\n\nabc', 'latin1');
    const options = { keepAlive: true };
    const recorder = new MemoryRecorder();
    const first = await sendRequest({ raw, target, options }, { pool, recorder });
    raw.write('/b', 5, 'latin1');
    raw.write('Content-Length: 9', raw.indexOf('Content-Length'), 'latin1');
    const second = await sendRequest({ raw, target, options }, { pool, recorder });

    expect(latin1(first.sent)).toBe('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc');
    expect(latin1(second.sent)).toBe('POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc');
    expect(second.warnings).toContain('Content-Length set to 3 (was "9")');
    expect(first.warnings).not.toContain('Content-Length set to 3 (was "9")');
    const c = await received;
    expect(c.received().toString('latin1')).toBe(latin1(first.sent) + latin1(second.sent));
    expect(recorder.exchanges.map((e) => e.requestBytes.toString('latin1'))).toEqual([
      latin1(first.sent),
      latin1(second.sent),
    ]);
    // Each result owns its bytes: editing one does not reach the next send.
    expect(first.sent).not.toBe(second.sent);
    pool.closeAll();
  });

  it('resending the same bytes: each result gets its own copy of rewritten bytes', async () => {
    const answer = (c: Awaited<ReturnType<ScriptedServer['nextConnection']>>) =>
      c.waitForText('\r\n\r\n').then(() => c.write(OK));
    const raw = Buffer.from('GET /same HTTP/1.1\nHost: h\n\n', 'latin1');
    scripted.nextConnection().then(answer);
    const first = await sendRequest({ raw, target });
    first.sent.fill(0x41);
    scripted.nextConnection().then(answer);
    const second = await sendRequest({ raw, target });
    expect(latin1(second.sent)).toBe('GET /same HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(second.error).toBeNull();
  });

  it('an idle pooled connection expires after idleTimeoutMs, and drops on a late byte', async () => {
    const pool = new ConnectionPool(200);
    const raw = Buffer.from('GET /idle HTTP/1.1\r\nHost: h\r\n\r\n', 'latin1');
    const answered = scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(OK);
      return c;
    });
    const first = await sendRequest({ raw, target, options: { keepAlive: true } }, { pool });
    expect(first.error).toBeNull();
    expect(pool.idleCount).toBe(1);
    const c = await answered;
    await new Promise<void>((resolve) => c.socket.once('close', () => resolve()));
    expect(pool.idleCount).toBe(0);

    const late = scripted.nextConnection().then(async (c2) => {
      await c2.waitForText('\r\n\r\n');
      c2.write(OK);
      return c2;
    });
    const longPool = new ConnectionPool(60_000);
    await sendRequest({ raw, target, options: { keepAlive: true } }, { pool: longPool });
    expect(longPool.idleCount).toBe(1);
    const c2 = await late;
    c2.write('HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n');
    await new Promise<void>((resolve) => c2.socket.once('close', () => resolve()));
    expect(longPool.idleCount).toBe(0);
    longPool.closeAll();
  });

  it('many kept-alive sends on one connection: no listener or timer pile-up', async () => {
    const pool = new ConnectionPool();
    const sends = 50;
    const raw = Buffer.from('GET /many HTTP/1.1\r\nHost: h\r\n\r\n', 'latin1');
    const served = scripted.nextConnection().then(async (c) => {
      for (let n = 1; n <= sends; n++) {
        await c.waitForText('\r\n\r\n', n);
        c.write(OK);
      }
      return c;
    });
    for (let n = 0; n < sends; n++) {
      const r = await sendRequest({ raw, target, options: { keepAlive: true } }, { pool });
      expect(r.error).toBeNull();
      expect(latin1(r.response!.raw)).toBe(OK);
    }
    await served;
    const idle = pool.take(ConnectionPool.keyOf(target))!;
    for (const event of ['data', 'end', 'error', 'close'] as const) {
      expect(idle.socket.listenerCount(event)).toBeLessThanOrEqual(3);
    }
    idle.socket.destroy();
  });
});
