/**
 * The one contract between the UI and the Node side. `main/core` implements it once;
 * two transports carry it: Electron IPC (preload) and a WebSocket (web mode).
 * Every method returns a promise; failures reject with a `WirelensError` ({ code, message }).
 * Bytes are `Uint8Array`; the transport hides how they travel.
 */
import type {
  ExchangeDetail,
  ExchangeSummary,
  RawHeaders,
  Timings,
  TlsDetails,
  WirelensError,
} from '../model/exchange';

export interface ProxySettings {
  host: string;
  port: number;
  /** Intercept HTTPS (CONNECT) with the Wirelens CA. */
  interceptHttps: boolean;
  /** Hosts passed through as blind tunnels even when interception is on. */
  noInterceptHosts: string[];
  /** Skip upstream certificate verification (per run, warned). */
  insecureUpstream: boolean;
}

export interface ProxyStatus {
  state: 'stopped' | 'starting' | 'listening' | 'error';
  settings: ProxySettings;
  /** The real address when listening (port resolved when 0 was asked). */
  address: { host: string; port: number } | null;
  error: WirelensError | null;
}

/** Limits applied to untrusted traffic; one object, shown in the UI settings. */
export interface Limits {
  maxHeadBytes: number;
  maxHeaderCount: number;
  headTimeoutMs: number;
  idleTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  upstreamFirstByteTimeoutMs: number;
  maxConnections: number;
}

export interface ListQuery {
  /** Filter expression (see shared/filter): free text plus `field:value` terms. */
  filter?: string;
  offset?: number;
  limit?: number;
}

export interface ListResult {
  items: ExchangeSummary[];
  /** Matching exchanges in all (for the scroll height). */
  total: number;
}

export type MessageSide = 'request' | 'response';

export interface BodySliceQuery {
  id: number;
  side: MessageSide;
  /** `raw`: body bytes as on the wire. `decoded`: de-chunked and decompressed. */
  view: 'raw' | 'decoded';
  offset?: number;
  /** Default: 1 MiB. */
  length?: number;
  /**
   * `body` (default): the body in `view`. `message`: the whole raw message exactly as
   * recorded (start line + header block + body); `view` is ignored and `total` is its length.
   */
  part?: 'body' | 'message';
}

export interface BodySlice {
  bytes: Uint8Array;
  offset: number;
  /** Total length of the body in this view (decoded length may be unknown until decoded). */
  total: number;
  /** e.g. "gzip could not be decoded: ..." — the raw view is still available. */
  decodeError?: string;
  /** Content codings applied to get the decoded view, e.g. ['chunked', 'gzip']. */
  decodedFrom?: string[];
}

export interface SendTarget {
  host: string;
  port: number;
  tls: boolean;
  /** SNI; defaults to `host`. */
  servername?: string;
  /** Verify the server's certificate (default true). */
  verify?: boolean;
}

export interface SendOptions {
  /** Recompute Content-Length from the body (default true in the UI). */
  fixContentLength?: boolean;
  /** Turn bare LF into CRLF in the head (default true). */
  normalizeLineEndings?: boolean;
  /** Keep the connection open for the next send to the same target. */
  keepAlive?: boolean;
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number; totalMs?: number };
}

export interface SendRequest {
  /** The request exactly as composed (start line, headers, empty line, body). */
  raw: Uint8Array;
  /** Omitted: derived from the request (absolute-form URL, else Host). */
  target?: SendTarget;
  options?: SendOptions;
  /** Lets the caller cancel it with `cancelSend`. */
  sendId?: string;
}

export interface SendResult {
  exchangeId: number | null;
  /** The bytes actually written. */
  sent: Uint8Array;
  target: SendTarget;
  response: {
    raw: Uint8Array;
    startLine: string;
    headers: RawHeaders;
    /** Offset of the body within `raw`. */
    bodyOffset: number;
  } | null;
  timings: Timings;
  tls?: TlsDetails;
  warnings: string[];
  error: WirelensError | null;
}

export interface CaInfo {
  certPath: string;
  sha256Fingerprint: string;
  spkiFingerprint: string;
  pem: string;
}

export interface ExportResult {
  path?: string;
  count: number;
  /** HAR text when neither a path nor `toFile` was given (small exports, tests). */
  text?: string;
  /** With `toFile`: the written file, for the transport to hand to the user. */
  file?: TransferFile;
}

export interface ImportResult {
  imported: number;
  skipped: Array<{ index: number; reason: string }>;
  /** Entries in the file (imported + skipped + not reached). */
  total?: number;
  /** Cancelled part-way: the `imported` exchanges so far were kept, the rest never read. */
  cancelled?: boolean;
}

/**
 * A file the Node side holds for the UI (see main/core/service-files.ts): an upload the
 * transport delivered (`importHar`/`openCapture` take its id), or a file a job wrote
 * (HAR export, saved capture) that the transport then delivers — web mode streams it over
 * `GET /api/files/<id>`, Electron copies it where the native save dialog says. File
 * contents never travel inside a contract message.
 */
export interface TransferFile {
  fileId: string;
  /** Suggested file name (download name). */
  name: string;
  bytes: number;
}

/** What a long job is (progress events and `cancelJob`). */
export type JobKind = 'export-har' | 'import-har' | 'save-capture' | 'open-capture';

/** Options every long job takes: a caller-chosen id so it can be cancelled while running. */
export interface JobOptions {
  /** Progress events carry it; `cancelJob(jobId)` stops the job. */
  jobId?: string;
}

export interface ExportHarQuery extends JobOptions {
  /** Exactly these exchanges, in this order. */
  ids?: number[];
  /** Filter expression. Ignored when `ids` is given. */
  filter?: string;
  /** Write here (CLI and Electron main only; the UI transports refuse it). */
  path?: string;
  /** Write to a transfer file and return it in `file` (how the UI downloads). */
  toFile?: boolean;
}

export interface ImportHarInput extends JobOptions {
  /** The HAR text (small files), or… */
  text?: string;
  /** …an uploaded transfer file's id. */
  fileId?: string;
  name?: string;
}

export interface OpenCaptureResult {
  /** Exchanges in the opened capture. */
  count: number;
  /** Where the session that was replaced went (archived like "Clear"), or null if it was empty. */
  archivedTo: string | null;
  warnings: string[];
}

/** Everything the UI can ask of the Node side. */
export interface InspectorApi {
  getProxyStatus(): Promise<ProxyStatus>;
  startProxy(settings?: Partial<ProxySettings>): Promise<ProxyStatus>;
  stopProxy(): Promise<ProxyStatus>;
  getLimits(): Promise<Limits>;
  /** Changes some limits (kept for the next run); a listening proxy restarts to apply them. */
  setLimits(patch: Partial<Limits>): Promise<Limits>;
  listExchanges(query: ListQuery): Promise<ListResult>;
  getExchange(id: number): Promise<ExchangeDetail | null>;
  readBody(query: BodySliceQuery): Promise<BodySlice>;
  send(request: SendRequest): Promise<SendResult>;
  cancelSend(sendId: string): Promise<boolean>;
  clear(): Promise<void>;
  getCaInfo(): Promise<CaInfo>;
  launchBrowser(url?: string): Promise<{ pid: number | null }>;
  exportHar(query: ExportHarQuery): Promise<ExportResult>;
  importHar(input: ImportHarInput): Promise<ImportResult>;
  /** Writes the whole current session as one capture file (a transfer file to deliver). */
  saveCapture(options?: JobOptions): Promise<TransferFile & { count: number }>;
  /**
   * Replaces the current session with an uploaded capture file. The current session is
   * archived first exactly as "Clear" does (nothing deleted); the list is then rebuilt
   * from the opened file's records and bodies stay on disk until asked for.
   */
  openCapture(input: JobOptions & { fileId: string }): Promise<OpenCaptureResult>;
  /** Stops a running job; false when no job has that id (already finished). */
  cancelJob(jobId: string): Promise<boolean>;
  toCurl(query: {
    id: number;
    platform?: 'posix' | 'cmd' | 'powershell';
    insecure?: boolean;
  }): Promise<string>;
  fromCurl(command: string): Promise<{ raw: Uint8Array; target: SendTarget; warnings: string[] }>;
}

/** The allow-list both transports expose. Type-checked to name exactly the contract's methods. */
export const INSPECTOR_METHODS = [
  'getProxyStatus',
  'startProxy',
  'stopProxy',
  'getLimits',
  'setLimits',
  'listExchanges',
  'getExchange',
  'readBody',
  'send',
  'cancelSend',
  'clear',
  'getCaInfo',
  'launchBrowser',
  'exportHar',
  'importHar',
  'saveCapture',
  'openCapture',
  'cancelJob',
  'toCurl',
  'fromCurl',
] as const satisfies ReadonlyArray<keyof InspectorApi>;

export type InspectorMethod = (typeof INSPECTOR_METHODS)[number];

// Compile-time check that the list is complete: fails if a contract method is missing.
type Missing = Exclude<keyof InspectorApi, InspectorMethod>;
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;

/** Pushed from the Node side to the UI. */
export type InspectorEvent =
  | { type: 'exchanges-added'; items: ExchangeSummary[] }
  | { type: 'exchanges-updated'; items: ExchangeSummary[] }
  | { type: 'exchanges-cleared' }
  | { type: 'exchanges-evicted'; upToId: number; notice: string }
  | { type: 'proxy-status'; status: ProxyStatus }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string; error?: WirelensError }
  | JobProgressEvent
  | JobEndedEvent;

/** A long job moved on: `done` of `total` `unit`s in its current `phase`. */
export interface JobProgressEvent {
  type: 'job-progress';
  jobId: string;
  kind: JobKind;
  /** e.g. "Uploading", "Unpacking", "Loading the list", "Exporting". */
  phase: string;
  done: number;
  total: number;
  unit: 'exchanges' | 'entries' | 'bytes';
}

/** A long job is over; `message` says what happened in plain words. */
export interface JobEndedEvent {
  type: 'job-ended';
  jobId: string;
  kind: JobKind;
  outcome: 'done' | 'cancelled' | 'failed';
  message: string;
}

/** What a transport hands the renderer: the contract plus the event stream. */
export interface InspectorClient extends InspectorApi {
  onEvent(listener: (event: InspectorEvent) => void): () => void;
}

/** Stable error codes that cross the boundary. */
export const ERROR_CODES = {
  PROXY_PORT_IN_USE: 'PROXY_PORT_IN_USE',
  UPSTREAM_DNS_FAILED: 'UPSTREAM_DNS_FAILED',
  UPSTREAM_CONNECT_FAILED: 'UPSTREAM_CONNECT_FAILED',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_TLS_FAILED: 'UPSTREAM_TLS_FAILED',
  UPSTREAM_RESET: 'UPSTREAM_RESET',
  UPSTREAM_PARSE_ERROR: 'UPSTREAM_PARSE_ERROR',
  CLIENT_PARSE_ERROR: 'CLIENT_PARSE_ERROR',
  CLIENT_ABORTED: 'CLIENT_ABORTED',
  CLIENT_TIMEOUT: 'CLIENT_TIMEOUT',
  CLIENT_TLS_REJECTED: 'CLIENT_TLS_REJECTED',
  SEND_NO_TARGET: 'SEND_NO_TARGET',
  SEND_CANCELLED: 'SEND_CANCELLED',
  /** A long job (export, import, capture file) was cancelled with cancelJob. */
  CANCELLED: 'CANCELLED',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INTERNAL: 'INTERNAL',
} as const;

export type { WirelensError };
