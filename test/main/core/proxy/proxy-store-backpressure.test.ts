/**
 * When the store's disk writes fall behind (ExchangeRecorder.writesBehind), the proxy
 * stops reading the side a big body comes from — the upstream for a download, the client
 * for an upload — and goes on once the store calls back: memory stays bounded on a slow
 * disk and nothing is lost. The store here is real; the recorder in front of it can hold
 * "behind" on, as a slow disk would.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyServer } from '../../../../main/core/proxy/proxy-server';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import type { ExchangeRecorder } from '../../../../main/core/store/recorder-types';
import { sizedDownload, startHttpOrigin, type HttpOrigin } from '../../../support/origin-server';

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;

/** The real store, with a switch that makes it look far behind until released. */
class SlowDiskRecorder implements ExchangeRecorder {
  held = false;
  private waiters: Array<() => void> = [];
  constructor(readonly store: ExchangeStore) {}
  openConnection: ExchangeRecorder['openConnection'] = (init) => this.store.openConnection(init);
  updateConnection: ExchangeRecorder['updateConnection'] = (id, patch) =>
    this.store.updateConnection(id, patch);
  startExchange: ExchangeRecorder['startExchange'] = (init) => this.store.startExchange(init);
  get writesBehind(): boolean {
    return this.held || this.store.writesBehind;
  }
  whenCaughtUp(callback: () => void): void {
    if (this.held) this.waiters.push(callback);
    else this.store.whenCaughtUp(callback);
  }
  release(): void {
    this.held = false;
    for (const w of this.waiters.splice(0)) w();
  }
}

let origin: HttpOrigin;
let uploads: http.Server;
let uploadPort = 0;
let uploadedBytes = 0;
let dir: string;
let store: ExchangeStore;
let recorder: SlowDiskRecorder;
let proxy: ProxyServer;
let port = 0;

beforeAll(async () => {
  origin = await startHttpOrigin(sizedDownload());
  // Counts the request body bytes that reached it.
  uploads = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => (uploadedBytes += c.length));
    req.on('end', () => res.end(String(uploadedBytes)));
  });
  await new Promise<void>((r) => uploads.listen(0, '127.0.0.1', r));
  uploadPort = (uploads.address() as net.AddressInfo).port;
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-backpressure-'));
  store = await ExchangeStore.open(dir);
  recorder = new SlowDiskRecorder(store);
  proxy = new ProxyServer({ recorder });
  port = (await proxy.start({ host: '127.0.0.1', port: 0 })).port;
});

afterAll(async () => {
  await proxy?.stop({ graceMs: 500 });
  await store?.close();
  await origin?.close();
  await new Promise((r) => uploads?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** With the store held "behind": a raw client sending `head`, and everything it receives. */
function heldClient(head: string): {
  socket: net.Socket;
  received: () => Buffer;
  closed: Promise<unknown>;
} {
  recorder.held = true;
  const socket = net.connect(port, '127.0.0.1');
  socket.write(head);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise((r) => socket.on('close', r));
  return { socket, received: () => Buffer.concat(chunks), closed };
}

describe('proxy waits for a store that is behind', () => {
  it('stops reading a download upstream until the store caught up, then delivers it whole', async () => {
    const client = heldClient(
      `GET ${origin.url}/big?bytes=${TOTAL} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    await pause(400);
    // Unpaused, 64 MiB cross loopback in well under this time; held, only what was
    // read before the pause and what sits in socket buffers got through.
    expect(client.received().length).toBeLessThan(TOTAL / 2);
    recorder.release();
    await client.closed;
    const received = client.received().length;
    expect(received).toBeGreaterThan(TOTAL);
    store.flush();
    const { items } = store.list({ offset: 0, limit: 10 });
    const row = items.find((r) => r.url.endsWith(`bytes=${TOTAL}`))!;
    expect(row.state).toBe('complete');
    const raw = Buffer.from((await store.readRaw(row.id, 'response'))!);
    expect(raw.length).toBe(received);
    expect(raw.subarray(raw.length - 10).toString()).toBe('y'.repeat(10));
  });

  it('stops reading an upload from the client until the store caught up', async () => {
    uploadedBytes = 0;
    const { socket, received, closed } = heldClient(
      `POST http://127.0.0.1:${uploadPort}/up HTTP/1.1\r\nHost: x\r\nContent-Length: ${TOTAL}\r\nConnection: close\r\n\r\n`,
    );
    const piece = Buffer.alloc(MiB, 'u');
    let sent = 0;
    const pump = (): void => {
      while (sent < TOTAL) {
        sent += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
    };
    pump();
    await pause(400);
    expect(uploadedBytes).toBeLessThan(TOTAL / 2);
    recorder.release();
    await closed;
    expect(uploadedBytes).toBe(TOTAL);
    expect(received().toString()).toMatch(new RegExp(`^HTTP/1.1 200[^]*\\r\\n\\r\\n${TOTAL}$`));
  });
});
