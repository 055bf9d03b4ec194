/**
 * The contract of the HTTP/1.x message engine's incremental parser (implemented in
 * ./http-parser.ts). Everything works on `Uint8Array`; offsets are byte offsets.
 */
import type { BodyFraming, ParseIssue, RawHeaders, Span } from '../model/exchange';

export type MessageKind = 'request' | 'response';

/**
 * `strict`: what a proxy enforces before forwarding (RFC 9112/9110); the first violation
 * is fatal (`onError`) and parsing stops.
 * `lenient`: what the inspector and the sender use to show anything; violations become
 * `warnings` on the head and parsing continues where it can.
 */
export type ParseMode = 'strict' | 'lenient';

export interface ParserOptions {
  kind: MessageKind;
  mode: ParseMode;
  /** Largest allowed head (start line + header block), bytes. Default 65536. */
  maxHeadBytes?: number;
  /** Largest allowed number of header lines. Default 256. */
  maxHeaderCount?: number;
  /** Largest allowed chunk extension on one chunk-size line, bytes. Default 4096. */
  maxChunkExtensionBytes?: number;
}

export interface ParsedHead {
  kind: MessageKind;
  /** Start line exactly as received, without its line ending (latin1). */
  startLine: string;
  /** Request only. */
  method?: string;
  /** Request only: the request target as sent (origin-, absolute-, authority- or asterisk-form). */
  target?: string;
  /** e.g. `HTTP/1.1`. */
  version: string;
  /** Response only. */
  statusCode?: number;
  /** Response only: reason phrase as sent (may be empty). */
  reason?: string;
  headers: RawHeaders;
  /** Spans relative to the first byte of this message. */
  spans: { startLine: Span; headerLines: Span[]; headerBlock: Span };
  /** Bytes from the first byte of the message to the end of the empty line. */
  headLength: number;
  framing: BodyFraming;
  /** For `content-length` framing. */
  contentLength?: number;
  /** Whether the connection may carry another message after this one. */
  keepAlive: boolean;
  /** Request asks for an upgrade (Connection: upgrade + Upgrade), or is CONNECT. */
  upgrade: boolean;
  /** Lenient mode: what was tolerated. Always empty in strict mode. */
  warnings: ParseIssue[];
}

export interface MessageEnd {
  /** Body bytes as on the wire (chunk lines and trailers included). */
  wireBodyLength: number;
  /** Payload bytes after de-chunking. */
  payloadLength: number;
  trailers: RawHeaders;
  /** Lenient-mode warnings found in the body framing. */
  warnings: ParseIssue[];
}

export interface ParserEvents {
  /** A whole head was parsed. `streamOffset` = offset of the message's first byte in the stream. */
  onHead(head: ParsedHead, streamOffset: number): void;
  /**
   * Body bytes exactly as on the wire (chunk-size lines, extensions and trailers included).
   * `raw` may be a view into the pushed chunk: copy it if you keep it past the callback.
   */
  onBody?(raw: Uint8Array): void;
  /** De-chunked payload bytes (same lifetime rule as `onBody`). */
  onPayload?(data: Uint8Array): void;
  /** The message ended according to its framing. */
  onMessageEnd(end: MessageEnd): void;
  /**
   * A fatal problem: strict-mode violation, oversized head, or (both modes) input that
   * cannot be framed at all. The parser stops; later pushes are ignored.
   */
  onError(issue: ParseIssue, streamOffset: number): void;
  /**
   * After a CONNECT request / 2xx response to CONNECT, or a `101 Switching Protocols`
   * (or an upgrade request, in request parsers), the rest of the stream is not HTTP:
   * every later byte is handed over here.
   */
  onTunnelData?(data: Uint8Array): void;
}

/**
 * The parser's public surface.
 *
 * ```ts
 * const p = new HttpParser({ kind: 'request', mode: 'strict' }, events);
 * p.push(chunk); ...; p.end();
 * ```
 * Feeding the same bytes in chunks of any size gives the same events (payload/body
 * callbacks may be split differently, their concatenation is the same).
 */
export interface HttpMessageParser {
  /** Feed bytes. Fires events synchronously. */
  push(chunk: Uint8Array): void;
  /**
   * The stream ended (EOF). Completes a close-delimited response; reports an
   * `INCOMPLETE_MESSAGE` error if a message was cut short mid-head or mid-body.
   */
  end(): void;
  /**
   * Response parsers only: tell the parser the method of the request the next (not yet
   * started) response answers, so HEAD / CONNECT framing is right. Calls queue up in
   * order for pipelining; with no queued method, GET is assumed.
   */
  expectResponseTo(method: string): void;
  /**
   * Stop firing events (call from inside a callback). Bytes pushed or left over are
   * buffered until `resume()`, which processes them synchronously.
   */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Total bytes consumed so far (the stream offset of the next byte). */
  readonly offset: number;
}
