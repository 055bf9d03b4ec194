import { describe, expect, it } from 'vitest';
import type { BodySliceQuery } from '../../shared/api/inspector-api';
import type { MessageRecord } from '../../shared/model/exchange';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { readHead } from '../../renderer/src/stores/head-reader';
import { splitHead, wireLines } from '../../renderer/src/lib/wire-text';
import { fakeClient } from './fake-client';

const wire = 'GET /x HTTP/1.1\r\nHost: h\r\nX-Odd:   spaced  \r\n\r\nbody';
const bytes = new TextEncoder().encode(wire);
const message: MessageRecord = {
  startLine: 'GET /x HTTP/1.1',
  headers: [
    ['Host', 'h'],
    ['X-Odd', 'spaced'],
  ],
  layout: {
    startLine: { start: 0, end: 15 },
    headerLines: [
      { start: 17, end: 24 },
      { start: 26, end: 43 },
    ],
    headerBlock: { start: 17, end: 47 },
    body: { start: 47, end: 51 },
  },
  rawLength: bytes.length,
  issues: [],
  complete: true,
};

describe('readHead', () => {
  it('reads the message up to the body start with part "message", in slices if short', async () => {
    const queries: BodySliceQuery[] = [];
    setInspectorClient(
      fakeClient({
        readBody: async (q) => {
          queries.push(q);
          const offset = q.offset ?? 0;
          // At most 20 bytes per answer: the reader must ask again for the rest.
          const end = Math.min(offset + Math.min(q.length ?? 1 << 20, 20), bytes.length);
          return { bytes: bytes.slice(offset, end), offset, total: bytes.length };
        },
      }),
    );
    const head = await readHead(5, 'request', message);
    expect(new TextDecoder().decode(head!)).toBe(wire.slice(0, 47));
    expect(queries.map((q) => [q.part, q.side, q.offset, q.length])).toEqual([
      ['message', 'request', 0, 47],
      ['message', 'request', 20, 27],
      ['message', 'request', 40, 7],
    ]);
  });

  it('is null without a layout or when the read fails', async () => {
    setInspectorClient(fakeClient({ readBody: () => Promise.reject({ code: 'X', message: 'x' }) }));
    expect(await readHead(1, 'response', { ...message, layout: undefined })).toBeNull();
    expect(await readHead(1, 'response', message)).toBeNull();
    expect(await readHead(1, 'response', null)).toBeNull();
  });
});

describe('wire text', () => {
  it('splits the head by the layout and keeps every byte of each line with its ending', () => {
    const parts = splitHead(bytes.slice(0, 47), message.layout!);
    expect(new TextDecoder().decode(parts.startLine)).toBe('GET /x HTTP/1.1\r\n');
    expect(wireLines(parts.headerBlock)).toEqual([
      { text: 'Host: h', end: 'crlf' },
      { text: 'X-Odd:   spaced  ', end: 'crlf' },
      { text: '', end: 'crlf' },
    ]);
  });

  it('marks bare LF and CR apart from CR LF, and shows invalid UTF-8 byte for byte', () => {
    const odd = new Uint8Array([0x61, 0x0a, 0x62, 0x0d, 0x63, 0x0d, 0x0a, 0xff, 0x80]);
    expect(wireLines(odd)).toEqual([
      { text: 'a', end: 'lf' },
      { text: 'b', end: 'cr' },
      { text: 'c', end: 'crlf' },
      { text: '\u00ff\u0080', end: '' },
    ]);
  });
});
