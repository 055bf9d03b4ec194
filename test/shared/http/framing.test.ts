import { describe, expect, it } from 'vitest';
import {
  dechunk,
  headerTokens,
  headerValue,
  headerValues,
  isHopByHop,
} from '../../../shared/http/framing';
import { unescapeRaw } from './fixture-format';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('dechunk', () => {
  it('returns payload and trailers of a complete chunked body', () => {
    const d = dechunk(unescapeRaw('3;a=b\\r\\nabc\\r\\n2\\r\\nde\\r\\n0\\r\\nT: 1\\r\\n\\r\\n'));
    expect(text(d.payload)).toBe('abcde');
    expect(d.trailers).toEqual([['T', '1']]);
    expect(d.issues).toEqual([]);
    expect(d.complete).toBe(true);
  });

  it('tolerates bare LF with a warning', () => {
    const d = dechunk(unescapeRaw('3\\nabc\\n0\\n\\n'));
    expect(text(d.payload)).toBe('abc');
    expect(d.complete).toBe(true);
    expect(d.issues.map((i) => `${i.code}@${i.offset}`)).toEqual([
      'BARE_LF@1',
      'BARE_LF@5',
      'BARE_LF@7',
      'BARE_LF@8',
    ]);
  });

  it('a truncated body gives what arrived and INCOMPLETE_MESSAGE', () => {
    const d = dechunk(unescapeRaw('5\\r\\nhel'));
    expect(text(d.payload)).toBe('hel');
    expect(d.complete).toBe(false);
    expect(d.issues.map((i) => i.code)).toEqual(['INCOMPLETE_MESSAGE']);
  });

  it('garbage stops decoding with the fatal issue last', () => {
    const d = dechunk(unescapeRaw('2\\r\\nab\\r\\nzz\\r\\n'));
    expect(text(d.payload)).toBe('ab');
    expect(d.issues.map((i) => `${i.code}@${i.offset}`)).toEqual(['INVALID_CHUNK_SIZE@7']);
  });
});

describe('header helpers', () => {
  const headers: Array<[string, string]> = [
    ['Connection', 'keep-alive, X-Private'],
    ['Accept', 'a'],
    ['accept', 'b, c'],
  ];

  it('finds values case-insensitively, in order', () => {
    expect(headerValues(headers, 'ACCEPT')).toEqual(['a', 'b, c']);
    expect(headerValue(headers, 'accept')).toBe('a');
    expect(headerValue(headers, 'missing')).toBeUndefined();
    expect(headerTokens(headers, 'accept')).toEqual(['a', 'b', 'c']);
  });

  it('knows hop-by-hop fields, including those named by Connection', () => {
    expect(isHopByHop('Transfer-Encoding')).toBe(true);
    expect(isHopByHop('Keep-Alive')).toBe(true);
    expect(isHopByHop('Content-Type')).toBe(false);
    expect(isHopByHop('x-private')).toBe(false);
    expect(isHopByHop('x-private', headers)).toBe(true);
  });
});
