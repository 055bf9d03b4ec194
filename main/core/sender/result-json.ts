/**
 * A SendResult as one JSON-friendly object (the shape `wirelens send --json` prints):
 * each message as start line, ordered headers and base64 body (as on the wire).
 */
import type { SendResult, SendTarget } from '../../../shared/api/inspector-api';
import type {
  RawHeaders,
  Timings,
  TlsDetails,
  WirelensError,
} from '../../../shared/model/exchange';
import { headersOf, scanHead } from './request-head';

export interface MessageJson {
  startLine: string;
  headers: RawHeaders;
  bodyBase64: string;
}

export interface SendResultJson {
  request: MessageJson;
  response: MessageJson | null;
  timings: Timings;
  warnings: string[];
  error: WirelensError | null;
  target: SendTarget;
  tls: TlsDetails | null;
  exchangeId: number | null;
}

export function sendResultJson(result: SendResult): SendResultJson {
  const head = scanHead(result.sent);
  const response = result.response;
  return {
    request: {
      startLine: head.lines[0]?.text ?? '',
      headers: headersOf(head),
      bodyBase64: base64(result.sent.subarray(head.bodyOffset)),
    },
    response: response && {
      startLine: response.startLine,
      headers: response.headers,
      bodyBase64: base64(response.raw.subarray(response.bodyOffset)),
    },
    timings: result.timings,
    warnings: result.warnings,
    error: result.error,
    target: result.target,
    tls: result.tls ?? null,
    exchangeId: result.exchangeId,
  };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
