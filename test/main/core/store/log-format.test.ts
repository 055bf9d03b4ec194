import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { serializeRecord, type LogRecord } from '../../../../main/core/store/log-format';
import { recordExchange } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();

describe('serializeRecord', () => {
  const samples: LogRecord[] = [
    { t: 'chunk', id: 12, s: 'q', o: 0, n: 73 },
    { t: 'chunk', id: 9007199254740991, s: 'r', o: 123456789012, n: 1 },
    { t: 'mark', id: 3, k: 'responseEnd', at: 1795698597857.462 },
    { t: 'mark', id: 3, k: 'requestEnd', at: 1e21 },
    { t: 'mark', id: 3, k: 'requestEnd', at: Number.NaN },
    { t: 'state', id: 4, state: 'request-complete' },
    { t: 'warn', id: 5, text: 'quote " and \\ and \n and ünïcode' },
    {
      t: 'msg',
      id: 6,
      s: 'q',
      m: {
        startLine: 'GET /ü?"x" HTTP/1.1',
        headers: [
          ['Host', 'h'],
          ['X-Odd', 'tab\there \u0001 "q" \\'],
        ],
        issues: [{ code: 'OBS_FOLD', message: 'folded', offset: 30 }],
        complete: true,
        layout: {
          startLine: { start: 0, end: 19 },
          headerLines: [
            { start: 21, end: 28 },
            { start: 30, end: 50 },
          ],
          headerBlock: { start: 21, end: 54 },
          body: { start: 54, end: 54 },
        },
        framing: 'chunked',
        trailers: [['X-T', '1']],
      },
    },
    { t: 'msg', id: 7, s: 'i', m: { startLine: '', headers: [], issues: [], complete: false } },
  ];
  it.each(samples)('writes the same line JSON.stringify would: %o', (record) => {
    expect(serializeRecord(record)).toBe(JSON.stringify(record));
  });

  it('writes valid JSON even for numbers JSON cannot hold', () => {
    const m = {
      startLine: 'x',
      headers: [],
      issues: [],
      complete: true,
      layout: {
        startLine: { start: 0, end: Number.NaN },
        headerLines: [],
        headerBlock: { start: 0, end: 1 },
        body: { start: 1, end: Infinity },
      },
    };
    const record: LogRecord = { t: 'msg', id: 1, s: 'r', m };
    expect(JSON.parse(serializeRecord(record))).toEqual(JSON.parse(JSON.stringify(record)));
  });
});

describe('the x record (a whole exchange in one line)', () => {
  it('is the JSON of the exchange, odd strings included, with the messages last', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir);
    const { writer } = recordExchange(store, {
      path: '/ü?"q"=\\\u2028',
      contentType: 'text/plain; x="\t"',
    });
    writer.addWarning('never written: after finish');
    store.flush();
    const detail = store.get(writer.id)!;
    const line = readFileSync(path.join(dir, 'capture', 'records.ndjson'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`{"t":"x","id":${writer.id},`))!;
    const record = JSON.parse(line);
    expect(Object.keys(record).at(-1)).toBe('m');
    expect(line.indexOf(',"m":')).toBe(line.lastIndexOf(',"m":{"q":'));
    expect(record.row).toMatchObject({
      path: detail.summary.path,
      contentType: 'text/plain; x="\t"',
    });
    expect(detail.summary.path).toContain('"q"=\\'); // (UTF-8 bytes read as latin1)
    expect(record.m.q).toEqual({
      ...detail.request,
      rawLength: undefined,
      layout: record.m.q.layout,
    });
    await store.close();
    const again = await ExchangeStore.open(dir);
    expect(again.get(writer.id)).toEqual(detail);
    await again.close();
  });
});
