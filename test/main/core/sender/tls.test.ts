/**
 * HTTPS targets: verification on and off, a trusted test CA, SNI separate from the
 * target address, and the TLS details a user sees.
 */
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../../main/core/sender/connection-pool';
import { sendRequest } from '../../../../main/core/sender/send-request';
import { MemoryRecorder } from '../../../support/memory-recorder';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';
import { createTestCa, type TestCa } from '../../../support/test-ca';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const REQUEST = 'GET /secure HTTP/1.1\r\nHost: localhost\r\n\r\n';
const ANSWER = 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret';

let ca: TestCa;
let server: ScriptedServer;
let expired: ScriptedServer;

/** Each accepted connection gets ANSWER once the request head arrived. */
function answerEach(s: ScriptedServer) {
  const loop = (): void => {
    s.nextConnection().then(async (c) => {
      loop();
      await c.waitForText('\r\n\r\n');
      c.write(ANSWER);
    });
  };
  loop();
}

beforeAll(async () => {
  ca = await createTestCa();
  const leaf = await ca.issue({ hosts: ['localhost', '127.0.0.1'] });
  server = await startScriptedServer({ tls: { key: leaf.keyPem, cert: leaf.certPem } });
  const old = await ca.issue({ hosts: ['localhost'], expired: true });
  expired = await startScriptedServer({ tls: { key: old.keyPem, cert: old.certPem } });
  answerEach(server);
  answerEach(expired);
});
afterAll(async () => {
  await server.close();
  await expired.close();
  ca.dispose();
});

const target = () => ({ host: '127.0.0.1', port: server.port, tls: true });

describe('HTTPS with the sender', () => {
  it('verification on, CA unknown: UPSTREAM_TLS_FAILED, stored as failed', async () => {
    const recorder = new MemoryRecorder();
    const result = await sendRequest({ raw: Buffer.from(REQUEST), target: target() }, { recorder });
    expect(result.error?.code).toBe('UPSTREAM_TLS_FAILED');
    expect(result.error?.message).toMatch(
      /^TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed: .*certificate/i,
    );
    expect(result.response).toBeNull();
    expect(recorder.exchanges[0].state).toBe('failed');
    expect(recorder.connections[0].error?.code).toBe('UPSTREAM_TLS_FAILED');
  });

  it('verification off: works, with TLS details and timings', async () => {
    const arrived = server.connections.length;
    const recorder = new MemoryRecorder();
    const result = await sendRequest(
      { raw: Buffer.from(REQUEST), target: { ...target(), verify: false } },
      { recorder },
    );
    expect(result.error).toBeNull();
    expect(latin1(result.response!.raw)).toBe(ANSWER);
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.tls?.cipher).toBeTruthy();
    expect(result.tls?.alpn).toBeUndefined();
    expect(result.tls?.certificate?.subject).toBe('CN=localhost');
    expect(result.tls?.certificate?.issuer).toBe('CN=Wirelens Test Origin CA');
    expect(result.tls?.certificate?.validTo).toMatch(/GMT$/);
    expect(result.timings.tlsStart!).toBeGreaterThanOrEqual(result.timings.connectEnd!);
    expect(result.timings.tlsEnd!).toBeGreaterThanOrEqual(result.timings.tlsStart!);
    expect(recorder.exchanges[0].init.scheme).toBe('https');
    expect(recorder.connections[0].tls?.certificate?.subject).toBe('CN=localhost');
    // The exact bytes went through the TLS layer.
    const conn = server.connections[arrived];
    expect(conn.received().toString('latin1')).toBe(REQUEST);
  });

  it('a trusted CA and an SNI name separate from the address', async () => {
    const arrived = server.connections.length;
    const result = await sendRequest(
      { raw: Buffer.from(REQUEST), target: { ...target(), servername: 'localhost' } },
      { ca: ca.certPem },
    );
    expect(result.error).toBeNull();
    expect(result.tls?.sni).toBe('localhost');
    expect((server.connections[arrived].socket as tls.TLSSocket).servername).toBe('localhost');
  });

  it('a trusted CA but the wrong name is still refused', async () => {
    const result = await sendRequest(
      { raw: Buffer.from(REQUEST), target: { ...target(), servername: 'wrong.test' } },
      { ca: ca.certPem },
    );
    expect(result.error?.code).toBe('UPSTREAM_TLS_FAILED');
    expect(result.error?.message).toMatch(/wrong\.test/);
  });

  it('an expired certificate is refused even from a trusted CA', async () => {
    const result = await sendRequest(
      { raw: Buffer.from(REQUEST), target: { host: 'localhost', port: expired.port, tls: true } },
      { ca: ca.certPem },
    );
    expect(result.error?.code).toBe('UPSTREAM_TLS_FAILED');
    expect(result.error?.message).toMatch(/expired/i);
  });

  it('keepAlive reuses the TLS connection, and the result still carries its TLS details', async () => {
    const pool = new ConnectionPool();
    const before = server.connections.length;
    const options = { keepAlive: true };
    const raw = Buffer.from(REQUEST);
    const first = await sendRequest({ raw, target: target(), options }, { ca: ca.certPem, pool });
    // The scripted server answers once per connection: answer the second request by hand.
    const conn = server.connections[before];
    conn.waitForText('\r\n\r\n', 2).then(() => conn.write(ANSWER));
    const second = await sendRequest({ raw, target: target(), options }, { ca: ca.certPem, pool });
    expect([first.error, second.error]).toEqual([null, null]);
    expect(server.connections.length - before).toBe(1);
    expect(second.timings.tlsStart).toBeUndefined();
    expect(second.tls?.certificate?.subject).toBe('CN=localhost');
    pool.closeAll();
  });

  it('an https:// absolute-form URL picks TLS and its port', async () => {
    const raw = Buffer.from(
      `GET https://127.0.0.1:${server.port}/abs HTTP/1.1\r\nHost: localhost\r\n\r\n`,
    );
    const result = await sendRequest({ raw }, { ca: ca.certPem });
    expect(result.target).toEqual({ host: '127.0.0.1', port: server.port, tls: true });
    expect(result.error).toBeNull();
  });
});
