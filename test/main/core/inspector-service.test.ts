import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectorEvent } from '../../../shared/api/inspector-api';
import { InspectorService } from '../../../main/core/inspector-service';
import { NOT_AVAILABLE } from '../../../main/core/service-errors';
import { openCapture } from '../../../main/core/export/capture-file';
import { ExchangeStore } from '../../../main/core/store/exchange-store';
import { runCurl, startHttpOrigin, type HttpOrigin } from '../../support/origin-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wirelens-service-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function origin(): Promise<HttpOrigin> {
  const o = await startHttpOrigin((req, res) => {
    const body = `echo ${req.method} ${req.url}`;
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  cleanups.push(() => o.close());
  return o;
}

async function service(dataDir: string, extra: { interceptHttps?: boolean } = {}) {
  const s = await InspectorService.create({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    proxy: { interceptHttps: extra.interceptHttps ?? false },
  });
  cleanups.push(() => s.close());
  return s;
}

function nextEvent(
  s: InspectorService,
  match: (e: InspectorEvent) => boolean,
): Promise<InspectorEvent> {
  return new Promise((resolve) => {
    const off = s.onEvent((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}

describe('InspectorService over the real core', () => {
  it('starts the proxy, records what passes, and keeps it after close and reopen', async () => {
    const dataDir = await tempDir();
    const o = await origin();
    const s = await service(dataDir);
    const status = await s.getProxyStatus();
    expect(status).toMatchObject({ state: 'listening', address: { host: '127.0.0.1' } });

    const added = nextEvent(s, (e) => e.type === 'exchanges-added');
    const curl = await runCurl(['-x', `http://127.0.0.1:${status.address!.port}`, `${o.url}/kept`]);
    expect(curl.stdout.toString()).toBe('echo GET /kept');
    await added;
    const listed = await s.listExchanges({ filter: 'path:/kept' });
    expect(listed.total).toBe(1);
    await s.close();

    const reopened = await ExchangeStore.open(dataDir);
    cleanups.push(() => reopened.close());
    expect(reopened.list({ filter: 'path:/kept' }).items).toHaveLength(1);
  });

  it('reports a taken port in the proxy status with its code, and restarts elsewhere', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = (blocker.address() as net.AddressInfo).port;
    const s = await service(await tempDir());

    const statuses: string[] = [];
    s.onEvent((e) => e.type === 'proxy-status' && statuses.push(e.status.state));
    const failed = await s.startProxy({ port: taken });
    expect(failed.state).toBe('error');
    expect(failed.error?.code).toBe('PROXY_PORT_IN_USE');
    const again = await s.startProxy({ port: 0 });
    expect(again.state).toBe('listening');
    expect(again.address!.port).not.toBe(taken);
    const stopped = await s.stopProxy();
    expect(stopped).toMatchObject({ state: 'stopped', address: null });
    expect(statuses).toEqual(['starting', 'error', 'starting', 'listening', 'stopped']);
  });

  it('sends a composed request through the sender and records it as a composer exchange', async () => {
    const o = await origin();
    const s = await service(await tempDir());
    const raw = new TextEncoder().encode(
      `GET /composed HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\n\r\n`,
    );
    const result = await s.send({ raw, target: { host: '127.0.0.1', port: o.port, tls: false } });
    expect(result.error).toBeNull();
    expect(result.response?.startLine).toBe('HTTP/1.1 200 OK');
    expect(result.exchangeId).not.toBeNull();
    const detail = await s.getExchange(result.exchangeId!);
    expect(detail?.summary.source).toBe('composer');
  });

  it('cancels a send in flight by its sendId', async () => {
    // A server that accepts and never answers.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const s = await service(await tempDir());
    const connected = new Promise((resolve) => silent.once('connection', resolve));
    const raw = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`);
    const sending = s.send({ raw, sendId: 'abc', target: { host: '127.0.0.1', port, tls: false } });
    await connected;
    expect(await s.cancelSend('abc')).toBe(true);
    const outcome = await sending.then(
      (r) => r.error,
      (e: { code: string }) => e,
    );
    expect(outcome?.code).toBe('SEND_CANCELLED');
    expect(await s.cancelSend('abc')).toBe(false);
  });

  it('gives the CA certificate created in the data folder', async () => {
    const dataDir = await tempDir();
    const s = await service(dataDir);
    const ca = await s.getCaInfo();
    expect(ca.certPath.startsWith(dataDir)).toBe(true);
    expect(existsSync(ca.certPath)).toBe(true);
    expect(ca.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ca.spkiFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('turns a captured exchange into a cURL command and a cURL command into a request', async () => {
    const o = await origin();
    const s = await service(await tempDir());
    const { address } = await s.getProxyStatus();
    const added = nextEvent(s, (e) => e.type === 'exchanges-added');
    await runCurl([
      '-x',
      `http://127.0.0.1:${address!.port}`,
      '-H',
      'X-Probe: 1',
      `${o.url}/as-curl`,
    ]);
    await added;
    const [summary] = (await s.listExchanges({ filter: 'path:/as-curl' })).items;
    const command = await s.toCurl({ id: summary.id });
    expect(command).toContain(`${o.url}/as-curl`);
    expect(command).toContain('X-Probe: 1');
    const back = await s.fromCurl(`curl -H 'X-Back: 2' ${o.url}/from-curl`);
    expect(new TextDecoder().decode(back.raw)).toMatch(
      /^GET \/from-curl HTTP\/1\.1\r\n[^]*X-Back: 2\r\n/,
    );
    expect(back.target).toMatchObject({ host: '127.0.0.1', port: o.port, tls: false });
    await expect(s.toCurl({ id: 9999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports HAR text, imports it back, and saves a capture file', async () => {
    const o = await origin();
    const dataDir = await tempDir();
    const s = await service(dataDir);
    const { address } = await s.getProxyStatus();
    const added = nextEvent(s, (e) => e.type === 'exchanges-added');
    await runCurl(['-x', `http://127.0.0.1:${address!.port}`, `${o.url}/to-har`]);
    await added;
    let har = await s.exportHar({ filter: 'path:/to-har' });
    for (let i = 0; i < 50 && !har.text?.includes('echo GET /to-har'); i++) {
      await new Promise((r) => setTimeout(r, 100)); // the response may still be finishing
      har = await s.exportHar({ filter: 'path:/to-har' });
    }
    expect(har.count).toBe(1);
    const parsed = JSON.parse(har.text!);
    expect(parsed.log.entries[0].request.url).toBe(`${o.url}/to-har`);
    expect(parsed.log.entries[0].response.content.text).toBe('echo GET /to-har');

    const imported = await s.importHar({ text: har.text! });
    expect(imported).toMatchObject({ imported: 1, skipped: [] });
    const all = await s.listExchanges({ filter: 'path:/to-har' });
    expect(all.items.map((i) => i.source).sort()).toEqual(['import', 'proxy']);

    const file = join(dataDir, 'saved.wlcap');
    const saved = await s.saveCaptureTo(file);
    expect(saved.path).toBe(file);
    expect(existsSync(file)).toBe(true);
    expect(saved.bytes).toBeGreaterThan(0);
  });

  it('opens a saved capture in its own store folder while keeping the CA of the data folder', async () => {
    const o = await origin();
    const dataDir = await tempDir();
    const first = await service(dataDir);
    const { address } = await first.getProxyStatus();
    const added = nextEvent(first, (e) => e.type === 'exchanges-added');
    await runCurl(['-x', `http://127.0.0.1:${address!.port}`, `${o.url}/saved-one`]);
    await added;
    const ca = await first.getCaInfo();
    const file = join(dataDir, 'one.wlcap');
    await first.saveCaptureTo(file);
    await first.close();

    const storeDir = join(dataDir, 'opened', 'one');
    const unpacked = await openCapture(file, storeDir);
    await unpacked.close();
    const second = await InspectorService.create({ dataDir, storeDir, startProxy: false });
    cleanups.push(() => second.close());
    expect((await second.listExchanges({ filter: 'path:/saved-one' })).total).toBe(1);
    expect((await second.getCaInfo()).sha256Fingerprint).toBe(ca.sha256Fingerprint);
  });

  it('refuses bad arguments with INVALID_ARGUMENT', async () => {
    const s = await service(await tempDir());
    await expect(s.getExchange(-1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.listExchanges({ limit: 'ten' } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(s.readBody({ id: 1, side: 'both', view: 'raw' } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(s.send({ raw: 'GET / HTTP/1.1' } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // The URL goes on Chromium's command line: a flag must never get there.
    for (const url of [
      '--renderer-cmd-prefix=/bin/sh -c id',
      'file:///etc/passwd',
      'javascript:1',
    ]) {
      await expect(s.launchBrowser(url)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('a part that is missing fails with NOT_AVAILABLE and leaves the rest working', async () => {
    const s = await InspectorService.create({
      dataDir: await tempDir(),
      startProxy: false,
      parts: {},
    });
    cleanups.push(() => s.close());
    await expect(s.listExchanges({})).rejects.toMatchObject({ code: NOT_AVAILABLE });
    await expect(s.exportHar({})).rejects.toMatchObject({ code: NOT_AVAILABLE });
    expect((await s.startProxy()).error?.code).toBe(NOT_AVAILABLE);
    expect((await s.getLimits()).maxHeadBytes).toBeGreaterThan(0);
  });
});
