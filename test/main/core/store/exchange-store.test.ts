import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { dec, enc, messageOf, recordExchange } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();

describe('ExchangeStore: record, query, reopen', () => {
  it('derives the list row from what the writer received and survives a reopen', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const a = recordExchange(store, { path: '/search?q=1', contentType: 'application/json' });
    const b = recordExchange(store, {
      status: 404,
      requestBody: 'x=1',
      host: 'api.example.com:8080',
    });
    store.flush();
    const before = store.list();
    expect(before.total).toBe(2);
    expect(before.items[0]).toMatchObject({
      id: a.writer.id,
      method: 'GET',
      host: '127.0.0.1',
      port: 9000,
      path: '/search?q=1',
      url: 'http://127.0.0.1:9000/search?q=1',
      status: 200,
      contentType: 'application/json',
      state: 'complete',
      requestBytes: a.request.length,
      responseBytes: a.response.length,
      malformed: false,
      error: null,
    });
    expect(before.items[1]).toMatchObject({
      method: 'POST',
      status: 404,
      url: 'http://api.example.com:8080/a',
    });
    expect(before.items[0].durationMs).toBeGreaterThanOrEqual(0);
    await store.close();

    const again = await ExchangeStore.open(dir);
    expect(again.recoveryWarnings).toEqual([]);
    expect(again.list()).toEqual(before);
    expect(dec(await again.readRaw(a.writer.id, 'request'))).toBe(dec(a.request));
    expect(dec(await again.readRaw(b.writer.id, 'response'))).toBe(dec(b.response));
    const detail = again.get(b.writer.id)!;
    expect(detail.request!.startLine).toBe('POST /a HTTP/1.1');
    expect(detail.request!.rawLength).toBe(b.request.length);
    expect(detail.request!.layout!.body).toEqual({
      start: b.request.length - 3,
      end: b.request.length,
    });
    expect(detail.response!.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['Content-Length', '5'],
    ]);
    expect(detail.connection).toMatchObject({
      id: detail.summary.connectionId,
      clientAddress: '127.0.0.1',
    });
    expect(detail.timings.requestEnd).toBeGreaterThan(0);
    expect(detail.timings.responseEnd).toBeGreaterThan(0);
    // New exchanges after a reopen get new ids.
    const c = recordExchange(again);
    expect(c.writer.id).toBeGreaterThan(b.writer.id);
    await again.close();
  });

  it('reads body slices of small (memory) and large (disk) bodies, before and after reopen', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    const big = new Uint8Array(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const small = recordExchange(store, { body: enc('0123456789') });
    const large = recordExchange(store, { body: big });
    // Interleave another exchange's bytes so the large body is not contiguous on disk.
    recordExchange(store, { body: enc('other') });
    store.flush();
    await check(store);
    await store.close();
    const again = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    await check(again);
    await again.close();

    async function check(s: ExchangeStore): Promise<void> {
      const part = await s.readBody({
        id: small.writer.id,
        side: 'response',
        view: 'raw',
        offset: 3,
        length: 4,
      });
      expect(dec(part.bytes)).toBe('3456');
      expect(part.total).toBe(10);
      const slice = await s.readBody({
        id: large.writer.id,
        side: 'response',
        view: 'raw',
        offset: 123_456,
        length: 70_000,
      });
      expect(slice.total).toBe(big.length);
      expect(Buffer.from(slice.bytes).equals(Buffer.from(big.subarray(123_456, 193_456)))).toBe(
        true,
      );
      const tail = await s.readBody({
        id: large.writer.id,
        side: 'response',
        view: 'raw',
        offset: 299_990,
      });
      expect(tail.bytes.length).toBe(10);
      // Only the small exchange is held in memory, and only as recorded (a reopened store
      // reads every body from disk); the large one is always read from disk.
      expect(s.find(small.writer.id)!.raw !== null).toBe(s === store);
      expect(s.find(large.writer.id)!.raw).toBeNull();
      const reqBody = await s.readBody({ id: small.writer.id, side: 'request', view: 'raw' });
      expect(reqBody.total).toBe(0);
      await expect(s.readBody({ id: 999, side: 'response', view: 'raw' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(
        s.readBody({ id: small.writer.id, side: 'response', view: 'raw', offset: -1 }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('serves an exchange in flight from memory, then from the log', async () => {
    const store = await ExchangeStore.open(newDir());
    const { writer, request } = recordExchange(store, { finish: false });
    expect(store.get(writer.id)!.summary.state).toBe('response-head');
    expect(dec(await store.readRaw(writer.id, 'request'))).toBe(dec(request));
    writer.finish();
    writer.setState('pending'); // after finish: ignored
    store.flush();
    expect(store.get(writer.id)!.summary.state).toBe('complete');
    await store.close();
  });

  it('moves a pending exchange to request-complete at its requestEnd mark, and only then', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const init = {
      connectionId: 1,
      indexOnConnection: 0,
      source: 'proxy' as const,
      scheme: 'http',
      host: 'h.test',
      port: 80,
      timings: { start: Date.now() },
    };
    const plain = store.startExchange(init);
    plain.mark('requestEnd');
    expect(store.get(plain.id)!.summary.state).toBe('request-complete');
    // An early response (head before the request's end) and a tunnel keep their state.
    const early = store.startExchange({ ...init, indexOnConnection: 1 });
    early.setState('response-head');
    early.mark('requestEnd');
    expect(store.get(early.id)!.summary.state).toBe('response-head');
    const tunnel = store.startExchange({ ...init, indexOnConnection: 2, scheme: 'tunnel' });
    tunnel.setState('tunnel');
    tunnel.mark('requestEnd');
    expect(store.get(tunnel.id)!.summary.state).toBe('tunnel');
    await store.close();
    // Logged in flight at close: a reopen brings all three back as interrupted.
    const reopened = await ExchangeStore.open(dir);
    expect(reopened.list().items.map((s) => s.state)).toEqual(['failed', 'failed', 'failed']);
    await reopened.close();
  });

  it('records failed and malformed exchanges with their bytes', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const writer = store.startExchange({
      connectionId: store.openConnection({ source: 'proxy', openedAt: Date.now() }),
      indexOnConnection: 0,
      source: 'proxy',
      scheme: 'http',
      host: '127.0.0.1',
      port: 8080,
      timings: { start: Date.now() },
    });
    const raw = enc('GET /x HTTP/1.1\r\nBad Header\r\n\r\n');
    writer.appendRequest(raw);
    writer.setRequest({
      ...messageOf(raw),
      issues: [{ code: 'INVALID_HEADER_LINE', message: 'no colon', offset: 17 }],
    });
    writer.fail({ code: 'CLIENT_PARSE_ERROR', message: 'bad header line' });
    writer.finish(); // second end: ignored
    store.flush();
    await store.close();
    const again = await ExchangeStore.open(dir);
    const [row] = again.list().items;
    expect(row).toMatchObject({
      state: 'failed',
      malformed: true,
      status: null,
      error: { code: 'CLIENT_PARSE_ERROR', message: 'bad header line' },
    });
    expect(dec(await again.readRaw(row.id, 'request'))).toBe(dec(raw));
    expect(again.get(row.id)!.request!.issues[0].code).toBe('INVALID_HEADER_LINE');
    expect(again.list({ filter: 'is:malformed state:failed' }).total).toBe(1);
    await again.close();
  });

  it('brings exchanges in flight at a stop back as failed INTERRUPTED, with their bytes', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const { writer, request } = recordExchange(store, { finish: false });
    store.flush();
    await store.close(); // no finish(): as if the process had died
    const again = await ExchangeStore.open(dir);
    const row = again.list().items[0];
    expect(row).toMatchObject({ id: writer.id, state: 'failed', error: { code: 'INTERRUPTED' } });
    expect(dec(await again.readRaw(writer.id, 'request'))).toBe(dec(request));
    await again.close();
    // Recorded as failed in the log itself: a third open sees the same, no double fail.
    const third = await ExchangeStore.open(dir);
    expect(third.list().items).toEqual([row]);
    await third.close();
  });

  it('refuses a second store on the same folder while the first is open', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    await expect(ExchangeStore.open(dir)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await store.close();
    const again = await ExchangeStore.open(dir);
    await again.close();
  });

  it('imports a complete exchange with source import', async () => {
    const store = await ExchangeStore.open(newDir());
    const request = enc('GET https://example.com/h HTTP/1.1\r\nHost: example.com\r\n\r\n');
    const response = enc('HTTP/1.1 201 Created\r\nContent-Type: text/html\r\n\r\nhi');
    const id = store.importExchange({
      scheme: 'https',
      host: 'example.com',
      port: 443,
      timings: { start: 1000, responseEnd: 1250 },
      request: { raw: request, message: messageOf(request) },
      response: { raw: response, message: messageOf(response) },
      warnings: ['imported from test.har'],
    });
    store.flush();
    const detail = store.get(id)!;
    expect(detail.summary).toMatchObject({
      source: 'import',
      url: 'https://example.com/h',
      status: 201,
      state: 'complete',
      durationMs: 250,
      contentType: 'text/html',
    });
    expect(detail.warnings).toEqual(['imported from test.har']);
    expect(dec(await store.readRaw(id, 'response'))).toBe(dec(response));
    await store.close();
  });
});

describe('ExchangeStore: decoded body view', () => {
  it('de-chunks and gunzips a response body, in slices, before and after reopen', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 512 });
    const text = 'Wirelens decoded view. '.repeat(400);
    const gz = gzipSync(Buffer.from(text));
    // Chunked on the wire, in two chunks, with a trailer.
    const half = Math.floor(gz.length / 2);
    const body = Buffer.concat([
      Buffer.from(`${half.toString(16)}\r\n`),
      gz.subarray(0, half),
      Buffer.from(`\r\n${(gz.length - half).toString(16)};ext=1\r\n`),
      gz.subarray(half),
      Buffer.from('\r\n0\r\nX-Trailer: t\r\n\r\n'),
    ]);
    const head = enc(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const response = Buffer.concat([head, body]);
    const writer = store.startExchange({
      connectionId: store.openConnection({ source: 'proxy', openedAt: Date.now() }),
      indexOnConnection: 0,
      source: 'proxy',
      scheme: 'http',
      host: '127.0.0.1',
      port: 9000,
      timings: { start: Date.now() },
    });
    const request = enc('GET /gz HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n\r\n');
    writer.appendRequest(request);
    writer.setRequest(messageOf(request));
    writer.appendResponse(response);
    writer.setResponse(messageOf(response));
    writer.finish();
    store.flush();
    await check(store);
    await store.close();
    const again = await ExchangeStore.open(dir, { bodyInMemoryLimit: 512 });
    await check(again);
    await again.close();

    async function check(s: ExchangeStore): Promise<void> {
      const first = await s.readBody({
        id: writer.id,
        side: 'response',
        view: 'decoded',
        length: 100,
      });
      expect(first.decodedFrom).toEqual(['chunked', 'gzip']);
      expect(first.decodeError).toBeUndefined();
      expect(first.total).toBe(text.length);
      expect(dec(first.bytes)).toBe(text.slice(0, 100));
      const later = await s.readBody({
        id: writer.id,
        side: 'response',
        view: 'decoded',
        offset: 5000,
        length: 50,
      });
      expect(dec(later.bytes)).toBe(text.slice(5000, 5050));
      const raw = await s.readBody({ id: writer.id, side: 'response', view: 'raw' });
      expect(Buffer.from(raw.bytes).equals(body)).toBe(true);
    }
  });

  it('reports a body that cannot be decoded and still serves the raw view', async () => {
    const store = await ExchangeStore.open(newDir());
    const { writer } = recordExchange(store, { body: enc('not gzip at all') });
    const response = enc(
      'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 15\r\n\r\nnot gzip at all',
    );
    const w2 = store.startExchange({
      connectionId: 1,
      indexOnConnection: 1,
      source: 'proxy',
      scheme: 'http',
      host: 'h',
      port: 80,
      timings: { start: Date.now() },
    });
    w2.appendResponse(response);
    w2.setResponse(messageOf(response));
    w2.finish();
    store.flush();
    const slice = await store.readBody({ id: w2.id, side: 'response', view: 'decoded' });
    expect(slice.decodeError).toMatch(/gzip/i);
    const plain = await store.readBody({ id: writer.id, side: 'response', view: 'decoded' });
    expect(dec(plain.bytes)).toBe('not gzip at all');
    expect(plain.decodedFrom).toEqual([]);
    await store.close();
  });
});

describe('ExchangeStore: memory budget', () => {
  it('keeps only the newest small exchanges in memory within the budget; the rest read from disk', async () => {
    const dir = newDir();
    const options = { memoryBudget: 3000 };
    const store = await ExchangeStore.open(dir, options);
    const recorded = Array.from({ length: 6 }, (_, i) =>
      recordExchange(store, { path: `/m/${i}`, body: new Uint8Array(1000).fill(65 + i) }),
    );
    store.flush();
    const inMemory = (s: ExchangeStore): boolean[] =>
      recorded.map((r) => s.find(r.writer.id)!.raw !== null);
    // Each exchange is ~1.1 KB raw: two fit in 3000 bytes.
    expect(inMemory(store)).toEqual([false, false, false, false, true, true]);
    for (const r of recorded)
      expect(dec(await store.readRaw(r.writer.id, 'response'))).toBe(dec(r.response));
    expect(store.list({ filter: 'user-agent' }).total).toBe(6); // header search from disk too
    await store.close();
    const again = await ExchangeStore.open(dir, options);
    // Reopened: nothing is read back into memory (the list is ready sooner).
    expect(inMemory(again)).toEqual([false, false, false, false, false, false]);
    expect(again.list({ filter: 'user-agent' }).total).toBe(6);
    for (const r of recorded)
      expect(dec(await again.readRaw(r.writer.id, 'response'))).toBe(dec(r.response));
    await again.close();
  });
});
