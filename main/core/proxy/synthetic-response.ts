/**
 * Responses the proxy writes itself: error pages (400/431/501/502/504…), the page a
 * request aimed at the proxy gets, and `200 Connection Established`. Plain text with a
 * Content-Length, so any client can frame them; the message record describes the exact
 * bytes so they can be stored like any response.
 */
import type { MessageRecord, RawHeaders } from '../../../shared/model/exchange';

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface SyntheticResponse {
  bytes: Uint8Array;
  record: Omit<MessageRecord, 'rawLength'>;
}

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/**
 * A complete response. `close` adds `Connection: close` (used after errors: the rest of
 * the client's stream can no longer be trusted to be in sync).
 */
export function syntheticResponse(
  status: number,
  text: string,
  options: { close?: boolean; contentType?: string; base?: number } = {},
): SyntheticResponse {
  const body = Buffer.from(text, 'utf8');
  const startLine = `HTTP/1.1 ${status} ${reasonPhrase(status)}`;
  const headers: RawHeaders = [
    ['Content-Type', options.contentType ?? 'text/plain; charset=utf-8'],
    ['Content-Length', String(body.length)],
    ['Cache-Control', 'no-store'],
  ];
  if (options.close) headers.push(['Connection', 'close']);
  return build(startLine, headers, body, options.base ?? 0);
}

/** `HTTP/1.1 200 Connection Established` with no headers, the answer to a CONNECT. */
export function connectEstablished(): SyntheticResponse {
  return build('HTTP/1.1 200 Connection Established', [], new Uint8Array(0), 0, 'tunnel');
}

function build(
  startLine: string,
  headers: RawHeaders,
  body: Uint8Array,
  base: number,
  framing: MessageRecord['framing'] = 'content-length',
): SyntheticResponse {
  const lines = [startLine, ...headers.map(([n, v]) => `${n}: ${v}`)];
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  const headerLines = [];
  let pos = startLine.length + 2;
  for (const line of lines.slice(1)) {
    headerLines.push({ start: base + pos, end: base + pos + line.length });
    pos += line.length + 2;
  }
  const headEnd = head.length;
  return {
    bytes: Buffer.concat([head, body]),
    record: {
      startLine,
      headers,
      layout: {
        startLine: { start: base, end: base + startLine.length },
        headerLines,
        headerBlock: { start: base + startLine.length + 2, end: base + headEnd },
        body: { start: base + headEnd, end: base + headEnd + body.length },
      },
      framing,
      issues: [],
      complete: true,
    },
  };
}
