/** The export parts plugged into the real InspectorService: the contract methods work end to end. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportParts } from '../../../../main/core/export/service-export-parts';
import { InspectorService } from '../../../../main/core/inspector-service';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function service(): Promise<InspectorService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirelens-svc-export-'));
  const store = await ExchangeStore.open(dataDir);
  const s = await InspectorService.create({
    dataDir,
    startProxy: false,
    parts: { store, ...exportParts() },
  });
  closers.push(() => s.close());
  return s;
}

describe('InspectorService with exportParts', () => {
  it('importHar → listExchanges → exportHar → toCurl → fromCurl', async () => {
    const s = await service();
    const text = readFileSync(
      join(import.meta.dirname, '../../../fixtures/har/firefox.har'),
      'utf8',
    );
    expect(await s.importHar({ text, name: 'firefox.har' })).toEqual({ imported: 2, skipped: [] });
    const { items } = await s.listExchanges({});
    expect(items.map((i) => [i.source, i.method, i.status])).toEqual([
      ['import', 'POST', 302],
      ['import', 'GET', 200],
    ]);
    const exported = await s.exportHar({ ids: [items[0].id] });
    expect(JSON.parse(exported.text!).log.entries[0].request.postData.text).toBe(
      'user=bob&pw=x+y&z',
    );

    const command = await s.toCurl({ id: items[0].id });
    expect(command).toContain(' http://forms.example:8080/login');
    const back = await s.fromCurl(command);
    expect(back.target).toEqual({ host: 'forms.example', port: 8080, tls: false });
    const detail = await s.getExchange(items[0].id);
    expect(detail?.request?.startLine).toBe('POST /login HTTP/1.1');
    expect(Buffer.from(back.raw).toString('latin1')).toContain('\r\n\r\nuser=bob&pw=x+y&z');
  });

  it('fromCurl from the UI does not read local files; bad input keeps its code', async () => {
    const s = await service();
    const r = await s.fromCurl('curl -d @/etc/hostname http://h.example/');
    expect(r.warnings.join()).toMatch(/could not be read/);
    expect(Buffer.from(r.raw).toString('latin1')).toMatch(/Content-Length: 0\r\n/);
    await expect(s.fromCurl('wget x')).rejects.toMatchObject({ code: 'CURL_NOT_A_COMMAND' });
    await expect(s.importHar({ text: '[]' })).rejects.toMatchObject({ code: 'HAR_NOT_A_HAR' });
  });
});
