/**
 * Test helpers: raw HTTP messages and the MessageRecord a producer would hand the store
 * for them (a plain CRLF split; the real parser is tested on its own).
 */
import type {
  BodyFraming,
  MessageRecord,
  RawHeaders,
  Span,
} from '../../../../shared/model/exchange';
import type { ExchangeRecorder, ExchangeWriter } from '../../../../main/core/store/recorder-types';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Splits `raw` (starting at `base` in the side's bytes) into a message record. */
export function messageOf(raw: Uint8Array, base = 0): Omit<MessageRecord, 'rawLength'> {
  const text = dec(raw);
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const lines = head.split('\r\n');
  const headers: RawHeaders = [];
  const headerLines: Span[] = [];
  let at = lines[0].length + 2;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    headerLines.push({ start: base + at, end: base + at + line.length });
    at += line.length + 2;
  }
  const bodyStart = headEnd < 0 ? text.length : headEnd + 4;
  const te = headers.find(([n]) => n.toLowerCase() === 'transfer-encoding');
  const cl = headers.find(([n]) => n.toLowerCase() === 'content-length');
  const framing: BodyFraming = te ? 'chunked' : cl ? 'content-length' : 'none';
  return {
    startLine: lines[0],
    headers,
    layout: {
      startLine: { start: base, end: base + lines[0].length },
      headerLines,
      headerBlock: { start: base + lines[0].length + 2, end: base + bodyStart },
      body: { start: base + bodyStart, end: base + raw.length },
    },
    framing,
    issues: [],
    complete: headEnd >= 0,
  };
}

export interface Recorded {
  writer: ExchangeWriter;
  request: Uint8Array;
  response: Uint8Array;
}

/** Records one whole exchange the way the proxy would (bytes in pieces, heads, marks). */
export function recordExchange(
  recorder: ExchangeRecorder,
  options: {
    path?: string;
    status?: number;
    body?: Uint8Array;
    requestBody?: string;
    host?: string;
    finish?: boolean;
    contentType?: string;
  } = {},
): Recorded {
  const host = options.host ?? '127.0.0.1:9000';
  const connectionId = recorder.openConnection({
    source: 'proxy',
    openedAt: Date.now(),
    clientAddress: '127.0.0.1',
    clientPort: 50000,
  });
  const [hostName, port] = host.split(':');
  const writer = recorder.startExchange({
    connectionId,
    indexOnConnection: 0,
    source: 'proxy',
    scheme: 'http',
    host: hostName,
    port: Number(port ?? 80),
    timings: { start: Date.now() },
  });
  const reqBody = options.requestBody ?? '';
  const request = enc(
    `${reqBody ? 'POST' : 'GET'} ${options.path ?? '/a'} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: test\r\n` +
      (reqBody ? `Content-Length: ${reqBody.length}\r\n` : '') +
      `\r\n${reqBody}`,
  );
  writer.appendRequest(request.subarray(0, 5));
  writer.appendRequest(request.subarray(5));
  writer.setRequest(messageOf(request));
  writer.setState('request-complete');
  writer.mark('requestEnd');
  const body = options.body ?? enc('hello');
  const head = enc(
    `HTTP/1.1 ${options.status ?? 200} OK\r\nContent-Type: ${options.contentType ?? 'text/plain'}\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const response = new Uint8Array(head.length + body.length);
  response.set(head);
  response.set(body, head.length);
  writer.mark('responseStart');
  writer.appendResponse(head);
  writer.setResponse(messageOf(response));
  writer.setState('response-head');
  for (let i = 0; i < body.length; i += 4096) writer.appendResponse(body.subarray(i, i + 4096));
  writer.mark('responseEnd');
  if (options.finish !== false) writer.finish();
  return { writer, request, response };
}
