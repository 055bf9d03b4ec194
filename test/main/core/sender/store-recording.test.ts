/**
 * Sends recorded in the real exchange store: they appear in its list as `composer`
 * exchanges, with the exact bytes, 1xx responses, timings and failures, and
 * they survive closing and reopening the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../../../main/core/sender/send-request';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { startScriptedServer, type ScriptedServer } from '../../../support/scripted-server';

const bytes = (s: string) => Buffer.from(s, 'latin1');
let dir: string;
let scripted: ScriptedServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-sender-store-'));
  scripted = await startScriptedServer();
});
afterAll(async () => {
  await scripted.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sender → ExchangeStore', () => {
  it('records a complete send and a failed one, kept across a reopen', async () => {
    const target = { host: '127.0.0.1', port: scripted.port, tls: false };
    const interim = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n';
    const final = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfine!';
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write(interim);
      c.write(final);
    });
    scripted.nextConnection().then(async (c) => {
      await c.waitForText('\r\n\r\n');
      c.write('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\npart');
      setTimeout(() => c.reset(), 30);
    });

    let store = await ExchangeStore.open(dir);
    const ok = await sendRequest(
      { raw: bytes('GET /ok HTTP/1.1\nHost: api.test\n\n'), target },
      { recorder: store },
    );
    const bad = await sendRequest(
      { raw: bytes('GET /bad HTTP/1.1\r\nHost: api.test\r\n\r\n'), target },
      { recorder: store },
    );
    expect(ok.error).toBeNull();
    expect(bad.error?.code).toBe('UPSTREAM_RESET');
    await store.close();

    store = await ExchangeStore.open(dir);
    try {
      const { items } = store.list({});
      expect(items.map((i) => [i.source, i.path, i.state, i.status])).toEqual([
        ['composer', '/ok', 'complete', 200],
        ['composer', '/bad', 'failed', 200],
      ]);
      expect(items[1].error).toEqual(bad.error);

      const okDetail = store.get(items[0].id)!;
      expect(okDetail.informational?.map((m) => m.startLine)).toEqual(['HTTP/1.1 103 Early Hints']);
      expect(okDetail.response?.startLine).toBe('HTTP/1.1 200 OK');
      expect(okDetail.warnings).toEqual([]);
      expect(okDetail.timings.responseEnd).toBe(ok.timings.responseEnd);
      const okRaw = Buffer.from(await store.readRaw(items[0].id, 'response')).toString('latin1');
      expect(okRaw).toBe(interim + final);
      const sent = Buffer.from(await store.readRaw(items[0].id, 'request')).toString('latin1');
      expect(sent).toBe('GET /ok HTTP/1.1\r\nHost: api.test\r\n\r\n');

      const badRaw = Buffer.from(await store.readRaw(items[1].id, 'response')).toString('latin1');
      expect(badRaw).toBe('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\npart');
      expect(store.get(items[1].id)?.response?.complete).toBe(false);
    } finally {
      await store.close();
    }
  });
});
