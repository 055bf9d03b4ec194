/**
 * The whole loop with real parts: curl → the real proxy → a raw origin, recorded in the
 * real store; exported as HAR (schema-valid); its "Copy as cURL" run with the real curl
 * straight at the origin delivers the same request bytes the proxy captured.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectorEvent } from '../../../../shared/api/inspector-api';
import { curlForExchange } from '../../../../main/core/export/curl-parts';
import { exportHar } from '../../../../main/core/export/export-har';
import { ProxyServer } from '../../../../main/core/proxy/proxy-server';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { harSchemaErrors } from '../../../shared/har/har-validator';
import { startRawRecorder, type RawRecorder } from '../../../support/raw-recorder';

let store: ExchangeStore;
let proxy: ProxyServer;
let proxyPort: number;
let origin: RawRecorder;

beforeAll(async () => {
  store = await ExchangeStore.open(mkdtempSync(join(tmpdir(), 'wirelens-loop-')));
  origin = await startRawRecorder();
  proxy = new ProxyServer({ recorder: store });
  proxyPort = (await proxy.start({ host: '127.0.0.1', port: 0 })).port;
});
afterAll(async () => {
  await proxy?.stop();
  await origin?.close();
  await store?.close();
});

function bash(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', command], { timeout: 30_000 }, (e) => (e ? reject(e) : resolve()));
  });
}

/** Resolves when the store reports `count` finished exchanges (events, no sleeps). */
function finished(count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const done = store
        .list({})
        .items.filter((s) => s.state === 'complete' || s.state === 'failed');
      if (done.length >= count) {
        off();
        resolve();
      }
    };
    const off = store.subscribe((_e: InspectorEvent) => check());
    check();
  });
}

describe('capture → HAR → cURL → origin', () => {
  it('round trips a captured POST with an awkward body', async () => {
    const atOrigin = origin.nextRequest();
    await bash(
      `curl -s -o /dev/null --max-time 20 -x http://127.0.0.1:${proxyPort} ` +
        `-H 'X-Test: "q" & $x' --data-binary $'a=1&b=\\x01\\xff\\n' http://127.0.0.1:${origin.port}/form?z=1`,
    );
    await atOrigin;
    await finished(1);
    const [summary] = store.list({}).items;
    expect(summary.status).toBe(200);

    const har = JSON.parse((await exportHar(store, {})).text!);
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries[0].request.url).toBe(`http://127.0.0.1:${origin.port}/form?z=1`);
    expect(har.log.entries[0].request.postData.encoding).toBe('base64');

    const captured = await store.readRaw(summary.id, 'request');
    const command = curlForExchange({ detail: store.get(summary.id)!, requestRaw: captured }, {});
    const again = origin.nextRequest();
    await bash(`${command} -s -o /dev/null --max-time 20`);
    expect(Buffer.from(await again).toString('latin1')).toBe(
      Buffer.from(captured).toString('latin1'),
    );
  }, 60_000);
});
