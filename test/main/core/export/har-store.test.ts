/**
 * HAR export/import over the real ExchangeStore, with exchanges recorded by the real
 * sender against a local origin on 127.0.0.1 (gzip, chunked, binary, a failure).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHar } from '../../../../main/core/export/export-har';
import { importHar } from '../../../../main/core/export/import-har';
import { sendRequest } from '../../../../main/core/sender/send-request';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { harSchemaErrors } from '../../../shared/har/har-validator';

const BINARY = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) & 0xff);
let origin: Server;
let port: number;
let store: ExchangeStore;
let ids: number[] = [];
const stores: ExchangeStore[] = [];

async function openStore(): Promise<ExchangeStore> {
  const s = await ExchangeStore.open(mkdtempSync(join(tmpdir(), 'wirelens-har-')));
  stores.push(s);
  return s;
}

const raw = (s: string | Uint8Array) =>
  typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : s;

beforeAll(async () => {
  origin = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/gzip') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.end(gzipSync('{"hello":"wörld"}'));
      } else if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('part one, ');
        res.end('part two');
      } else if (req.url === '/binary') {
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': BINARY.length,
        });
        res.end(Buffer.from(BINARY));
      } else {
        res.writeHead(201, {
          'Content-Type': 'text/plain',
          'Content-Length': Buffer.concat(chunks).length,
        });
        res.end(Buffer.concat(chunks));
      }
    });
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  port = (origin.address() as AddressInfo).port;
  store = await openStore();
  const target = { host: '127.0.0.1', port, tls: false };
  const requests = [
    `GET /gzip HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: gzip\r\n\r\n`,
    `GET /chunked HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Dup: a\r\nX-Dup: b\r\n\r\n`,
    `GET /binary HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    `POST /echo?q=%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n\x00\x01\xff\r\n`,
  ];
  for (const r of requests) {
    const result = await sendRequest({ raw: raw(r), target }, { recorder: store });
    expect(result.error).toBeNull();
  }
  // A failure: nothing listens on a port we just closed.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await sendRequest(
    {
      raw: raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${deadPort}\r\n\r\n`),
      target: { host: '127.0.0.1', port: deadPort, tls: false },
    },
    { recorder: store },
  );
  store.flush();
  ids = store.list({}).items.map((s) => s.id);
});

afterAll(async () => {
  for (const s of stores) await s.close();
  await new Promise<void>((r) => origin?.close(() => r()));
});

describe('exportHar over the store', () => {
  it('writes a schema-valid file with decoded bodies, base64 binary and the failure', async () => {
    expect(ids).toHaveLength(5);
    const path = join(mkdtempSync(join(tmpdir(), 'wirelens-out-')), 'all.har');
    const progress: number[] = [];
    const result = await exportHar(store, { path, onProgress: (p) => progress.push(p.done) });
    expect(result).toEqual({ path, count: 5 });
    expect(existsSync(`${path}.partial`)).toBe(false);
    const har = JSON.parse(readFileSync(path, 'utf8'));
    expect(harSchemaErrors(har)).toEqual([]);
    const [gzip, chunked, binary, echo, failed] = har.log.entries;
    expect(gzip.response.content.text).toBe('{"hello":"wörld"}');
    expect(gzip.response.content.compression).toBeGreaterThan(-1000);
    expect(chunked.response.content.text).toBe('part one, part two');
    expect(
      chunked.request.headers.filter((h: { name: string }) => h.name === 'X-Dup'),
    ).toHaveLength(2);
    expect(binary.response.content.encoding).toBe('base64');
    expect(Buffer.from(binary.response.content.text, 'base64').equals(Buffer.from(BINARY))).toBe(
      true,
    );
    expect(echo.request.postData.encoding).toBe('base64');
    expect(echo.request.queryString).toEqual([{ name: 'q', value: 'é' }]);
    expect(failed._error.code).toMatch(/UPSTREAM_CONNECT_FAILED|CONNECT/);
    expect(failed.response.status).toBe(0);
    expect(gzip.serverIPAddress).toBe('127.0.0.1');
    expect(progress.at(-1)).toBe(5);
  });

  it('exports selected ids in the given order, or a filtered set', async () => {
    const picked = await exportHar(store, { ids: [ids[3], ids[0]] });
    const urls = JSON.parse(picked.text!).log.entries.map(
      (e: { request: { url: string } }) => new URL(e.request.url).pathname,
    );
    expect(urls).toEqual(['/echo', '/gzip']);
    const failedOnly = await exportHar(store, { filter: 'is:failed' });
    expect(failedOnly.count).toBe(1);
  });

  it('cancel stops the export and leaves no file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wirelens-out-')), 'cancelled.har');
    const controller = new AbortController();
    controller.abort();
    await expect(exportHar(store, { path, signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });
});

describe('importHar into a store', () => {
  it('round trip: imported exchanges hold the identical request bytes, source import', async () => {
    const { text } = await exportHar(store, {});
    const target = await openStore();
    const result = await importHar(target, text!);
    expect(result).toEqual({ imported: 5, skipped: [] });
    target.flush();
    const items = target.list({}).items;
    expect(items.map((s) => s.source)).toEqual(Array(5).fill('import'));
    for (let i = 0; i < 5; i++) {
      const original = await store.readRaw(ids[i], 'request');
      const copy = await target.readRaw(items[i].id, 'request');
      expect(Buffer.from(copy).toString('latin1')).toBe(Buffer.from(original).toString('latin1'));
    }
    expect(items[4].state).toBe('failed');
    expect(items[4].error?.code).toMatch(/CONNECT/);
    expect(items[0].status).toBe(200);
    // The gzip response was stored decoded, Content-Encoding removed (and said so).
    const gz = target.get(items[0].id)!;
    expect(gz.response!.headers.some(([n]) => /content-encoding/i.test(n))).toBe(false);
    expect(gz.warnings.join()).toMatch(/Content-Encoding: gzip removed/);
    // One imported connection per distinct HAR `connection` id.
    const harConnections = new Set(
      JSON.parse(text!).log.entries.map((e: { connection: string }) => e.connection),
    );
    expect(new Set(items.map((s) => s.connectionId)).size).toBe(harConnections.size);
  });

  it('bad files are clear errors; partial files import what they can', async () => {
    const target = await openStore();
    await expect(importHar(target, '{not json')).rejects.toMatchObject({
      code: 'HAR_INVALID_JSON',
    });
    const partial = readFileSync(
      join(import.meta.dirname, '../../../fixtures/har/partly-broken.har'),
      'utf8',
    );
    const result = await importHar(target, partial);
    expect(result.imported).toBe(2);
    expect(result.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6]);
    target.flush();
    expect(target.list({}).total).toBe(2);
  });
});
