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
  ];
  it.each(samples)('writes the same line JSON.stringify would: %o', (record) => {
    expect(serializeRecord(record)).toBe(JSON.stringify(record));
  });
});
