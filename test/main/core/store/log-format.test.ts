import { describe, expect, it } from 'vitest';
import { serializeRecord, type LogRecord } from '../../../../main/core/store/log-format';

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
