/** Builds an ExchangeDetail from raw bytes, the way the store would describe them. */
import type { ExchangeDetail, Timings } from '../../../shared/model/exchange';
import { messageRecordOf } from '../../../shared/har/message-record';

export interface FixtureInput {
  id?: number;
  request: Uint8Array;
  response?: Uint8Array | null;
  scheme?: 'http' | 'https';
  host?: string;
  port?: number;
  timings?: Timings;
  error?: { code: string; message: string };
}

export const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

export function exchangeDetail(input: FixtureInput): ExchangeDetail {
  const request = { ...messageRecordOf(input.request, 'request'), rawLength: input.request.length };
  const [method, target] = request.startLine.split(' ');
  const response = input.response
    ? { ...messageRecordOf(input.response, 'response', method), rawLength: input.response.length }
    : null;
  const scheme = input.scheme ?? 'http';
  const host = input.host ?? 'example.test';
  const port = input.port ?? (scheme === 'https' ? 443 : 80);
  const defaultPort = scheme === 'https' ? 443 : 80;
  const authority = port === defaultPort ? host : `${host}:${port}`;
  const url = /^https?:\/\//.test(target) ? target : `${scheme}://${authority}${target}`;
  const timings = input.timings ?? { start: Date.UTC(2026, 0, 2, 3, 4, 5, 678) };
  const contentType = response?.headers.find(([n]) => /^content-type$/i.test(n))?.[1] ?? null;
  return {
    summary: {
      id: input.id ?? 1,
      connectionId: 7,
      indexOnConnection: 0,
      source: 'proxy',
      state: input.error ? 'failed' : 'complete',
      scheme,
      method,
      host,
      port,
      path: target,
      url,
      status: response ? Number(response.startLine.split(' ')[1]) : null,
      contentType,
      requestBytes: input.request.length,
      responseBytes: input.response?.length ?? 0,
      startedAt: timings.start,
      durationMs: null,
      error: input.error ?? null,
      malformed: false,
    },
    connection: { id: 7, source: 'proxy', openedAt: timings.start, remoteAddress: '127.0.0.1' },
    request,
    response,
    timings,
    warnings: [],
  };
}
