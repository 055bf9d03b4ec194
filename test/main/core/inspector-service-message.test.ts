import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectorEvent } from '../../../shared/api/inspector-api';
import { InspectorService } from '../../../main/core/inspector-service';
import { startHttpOrigin } from '../../support/origin-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

/** Writes `head` to the proxy on a raw socket and resolves with the whole response. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
      if (/\r\n\r\nok$/.test(got)) socket.end();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(20_000, () => socket.destroy(new Error('timed out')));
  });
}

describe('readBody with part "message"', () => {
  it('returns the whole raw message byte for byte, sliceable, with its total', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wirelens-message-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const o = await startHttpOrigin((_req, res) => {
      res.writeHead(200, { 'Content-Length': 2 });
      res.end('ok');
    });
    cleanups.push(() => o.close());
    const s = await InspectorService.create({
      dataDir,
      listen: { host: '127.0.0.1', port: 0 },
      proxy: { interceptHttps: false },
    });
    cleanups.push(() => s.close());
    const port = (await s.getProxyStatus()).address!.port;
    const host = new URL(o.url).host;
    const request =
      `POST ${o.url}/odd HTTP/1.1\r\nHost: ${host}\r\nX-Odd:   spaced  \r\n` +
      `x-MiXeD-cAsE: v\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`;
    const done = new Promise<void>((resolve) => {
      const off = s.onEvent((e: InspectorEvent) => {
        if (e.type === 'exchanges-updated' || e.type === 'exchanges-added') {
          void s.listExchanges({ filter: 'path:/odd' }).then((r) => {
            if (r.items[0]?.state === 'complete') {
              off();
              resolve();
            }
          });
        }
      });
    });
    await rawRequest(port, request);
    await done;
    const id = (await s.listExchanges({ filter: 'path:/odd' })).items[0]!.id;

    const whole = await s.readBody({ id, side: 'request', view: 'raw', part: 'message' });
    expect(whole.total).toBe(request.length);
    expect(new TextDecoder('latin1').decode(whole.bytes)).toBe(request);

    const detail = (await s.getExchange(id))!;
    const bodyStart = detail.request!.layout!.body.start;
    const head = await s.readBody({
      id,
      side: 'request',
      view: 'raw',
      part: 'message',
      length: bodyStart,
    });
    expect(new TextDecoder().decode(head.bytes)).toBe(request.slice(0, request.indexOf('hello')));
    const tail = await s.readBody({
      id,
      side: 'request',
      view: 'raw',
      part: 'message',
      offset: bodyStart,
    });
    expect(new TextDecoder().decode(tail.bytes)).toBe('hello');
    expect(tail).toMatchObject({ offset: bodyStart, total: request.length });

    const response = await s.readBody({ id, side: 'response', view: 'raw', part: 'message' });
    expect(new TextDecoder().decode(response.bytes)).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/,
    );

    await expect(
      s.readBody({ id, side: 'request', view: 'raw', part: 'head' } as never),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
