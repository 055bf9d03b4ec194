/**
 * The renderer's WebSocket client (renderer/src/api/ws-client.ts) against a real ws server
 * on 127.0.0.1:0 that plays the server side of shared/api/ws-protocol.ts by hand: queued
 * calls, byte encoding both ways, errors as ApiError, reconnect after a drop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { InspectorEvent } from '../../shared/api/inspector-api';
import { ApiError } from '../../renderer/src/api/api-error';
import {
  createWsClient,
  RECONNECTED_NOTICE,
  type SocketLike,
} from '../../renderer/src/api/ws-client';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function server(
  onCall: (
    socket: WebSocket,
    call: { id: number; method: string; params: unknown[] },
    n: number,
  ) => void,
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  let connections = 0;
  wss.on('connection', (socket) => {
    const n = ++connections;
    socket.on('message', (data) => onCall(socket, JSON.parse(String(data)), n));
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api?token=t`,
    wss,
    count: () => connections,
  };
}

const connect = (u: string) => new WebSocket(u) as unknown as SocketLike;

describe('renderer WebSocket client', () => {
  it('queues calls until open, encodes bytes both ways, and maps errors to ApiError', async () => {
    const seen: unknown[] = [];
    const { url } = await server((socket, call) => {
      seen.push(call);
      if (call.method === 'send') {
        socket.send(JSON.stringify({ id: call.id, result: { sent: { $bytes: 'AAEC/w==' } } }));
      } else {
        socket.send(
          JSON.stringify({
            id: call.id,
            error: { code: 'NOT_FOUND', message: 'no such exchange' },
          }),
        );
      }
    });
    const client = createWsClient({ url, connect });
    const raw = new Uint8Array([71, 69, 84, 0, 255]);
    const [sent, missing] = await Promise.allSettled([client.send({ raw }), client.getExchange(7)]);
    expect(sent.status).toBe('fulfilled');
    const result = (sent as PromiseFulfilledResult<{ sent: Uint8Array }>).value;
    expect([...result.sent]).toEqual([0, 1, 2, 255]);
    expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
    expect((missing as PromiseRejectedResult).reason).toMatchObject({
      code: 'NOT_FOUND',
      message: 'no such exchange',
    });
    expect(seen).toEqual([
      { id: 1, method: 'send', params: [{ raw: { $bytes: Buffer.from(raw).toString('base64') } }] },
      { id: 2, method: 'getExchange', params: [7] },
    ]);
    client.dispose();
  });

  it('delivers pushed events and, after a dropped connection, reconnects and says so', async () => {
    const { url, count } = await server((socket, call, n) => {
      if (n === 1) {
        socket.send(JSON.stringify({ event: { type: 'exchanges-cleared' } }));
        setTimeout(() => socket.terminate(), 20); // The first connection drops.
      } else {
        socket.send(JSON.stringify({ id: call.id, result: { state: 'stopped' } }));
      }
    });
    const client = createWsClient({ url, connect, minRetryMs: 20 });
    const events: InspectorEvent[] = [];
    const reconnected = new Promise<void>((resolve) =>
      client.onEvent((event) => {
        events.push(event);
        if (event.type === 'notice' && event.message === RECONNECTED_NOTICE) resolve();
      }),
    );
    await expect(client.getProxyStatus()).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await reconnected;
    await expect(client.getProxyStatus()).resolves.toEqual({ state: 'stopped' });
    expect(count()).toBe(2);
    expect(events.map((e) => (e.type === 'notice' ? `${e.type}:${e.level}` : e.type))).toEqual([
      'exchanges-cleared',
      'notice:error',
      'notice:info',
    ]);
    client.dispose();
    await expect(client.getLimits()).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
