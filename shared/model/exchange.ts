/** The data model shared by main and renderer. See ./terms.ts for the vocabulary. */

/** Headers in their original order and case, duplicates kept. */
export type RawHeaders = Array<[name: string, value: string]>;

/** A byte range `[start, end)` into a raw message. */
export interface Span {
  start: number;
  end: number;
}

export type ExchangeSource = 'proxy' | 'composer' | 'import';

export type ExchangeState =
  'pending' | 'request-complete' | 'response-head' | 'complete' | 'failed' | 'tunnel';

/** An error that crosses every boundary as data: a stable code and plain words. */
export interface WirelensError {
  code: string;
  message: string;
}

/** A problem found while parsing; fatal in strict mode, a warning in lenient mode. */
export interface ParseIssue {
  /** Stable code, e.g. `INVALID_HEADER_TOKEN`, `CONTENT_LENGTH_AND_TRANSFER_ENCODING`. */
  code: string;
  message: string;
  /** Byte offset into the message (0 = first byte of its start line). */
  offset: number;
}

/**
 * Absolute time marks in milliseconds since the epoch (sub-millisecond precision,
 * monotonic within one run: `performance.timeOrigin + performance.now()`, to the
 * microsecond: main/core/clock.ts).
 * Durations are derived, never stored.
 */
export interface Timings {
  start: number;
  dnsStart?: number;
  dnsEnd?: number;
  connectStart?: number;
  connectEnd?: number;
  tlsStart?: number;
  tlsEnd?: number;
  /** Last byte of the request written (sender/proxy) or received (proxy, client side). */
  requestEnd?: number;
  /** First byte of the response received. */
  responseStart?: number;
  responseEnd?: number;
}

export interface TlsDetails {
  /** Server name the client asked for (SNI), if any. */
  sni?: string;
  alpn?: string;
  /** e.g. `TLSv1.3`. */
  protocol?: string;
  cipher?: string;
  /** Summary of the peer's certificate (the upstream's, or the leaf Wirelens served). */
  certificate?: CertificateSummary;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256?: string;
}

export interface ConnectionRecord {
  id: number;
  source: ExchangeSource;
  /** Client side (proxy only): address and port of the client that connected. */
  clientAddress?: string;
  clientPort?: number;
  /** Where this connection's requests went. */
  target?: { host: string; port: number; tls: boolean };
  /** IP address actually connected to upstream, when known. */
  remoteAddress?: string;
  openedAt: number;
  closedAt?: number;
  tls?: TlsDetails;
  /** Set when the connection itself failed (e.g. the client rejected our certificate). */
  error?: WirelensError;
}

/** One message (request or response) as recorded: raw bytes are the truth, the rest are views. */
export interface MessageRecord {
  /** Start line exactly as received, without its line ending (latin1-decoded). */
  startLine: string;
  headers: RawHeaders;
  /** Spans into the raw message bytes. Absent when the head could not be parsed at all. */
  layout?: MessageLayout;
  /** Total raw bytes recorded for this message (head + body as on the wire). */
  rawLength: number;
  /** How the body was delimited. */
  framing?: BodyFraming;
  /** Parse warnings (lenient) or the fatal error (strict) found in this message. */
  issues: ParseIssue[];
  /** Trailer fields of a chunked body, in order. */
  trailers?: RawHeaders;
  /** True once the whole message (by its framing) was seen. */
  complete: boolean;
}

/**
 * Spans are offsets into the exchange's recorded raw bytes for that side (all request
 * bytes, or all response bytes). A final response that followed 1xx responses therefore
 * starts after them.
 */
export interface MessageLayout {
  startLine: Span;
  /** One span per header line (without its line ending). */
  headerLines: Span[];
  /** The whole header block: from the first header line to the end of the empty line. */
  headerBlock: Span;
  /** The body as on the wire (to the end of what was recorded). */
  body: Span;
}

export type BodyFraming = 'none' | 'content-length' | 'chunked' | 'close' | 'tunnel';

/** What the exchange list needs for one row. Small; sent to the UI in batches. */
export interface ExchangeSummary {
  id: number;
  connectionId: number;
  indexOnConnection: number;
  source: ExchangeSource;
  state: ExchangeState;
  /** `http` or `https` (for tunnels: the scheme is `tunnel`). */
  scheme: string;
  method: string;
  host: string;
  port: number;
  /** Request target path (+query) as a display string. */
  path: string;
  /** Full URL for display. */
  url: string;
  status: number | null;
  contentType: string | null;
  requestBytes: number;
  responseBytes: number;
  startedAt: number;
  durationMs: number | null;
  error: WirelensError | null;
  /** At least one message had parse issues. */
  malformed: boolean;
}

/** Everything about one exchange except body bytes (fetched in slices). */
export interface ExchangeDetail {
  summary: ExchangeSummary;
  connection: ConnectionRecord | null;
  request: MessageRecord | null;
  response: MessageRecord | null;
  /** 1xx responses received before the final response (sender), in order. */
  informational?: MessageRecord[];
  timings: Timings;
  /** For tunnels: bytes relayed each way. */
  tunnel?: { bytesUp: number; bytesDown: number };
  /** Non-fatal notes, e.g. the sender's "Content-Length says 10, body has 12 bytes". */
  warnings: string[];
}
