/**
 * The parts of the core the inspector service is built over, as the service needs them.
 * Each is optional: a missing part makes its methods fail with NOT_AVAILABLE instead of
 * taking the whole service down. `service-loader.ts` fills them from the real modules.
 */
import type {
  BodySlice,
  BodySliceQuery,
  CaInfo,
  ExportResult,
  ImportResult,
  InspectorEvent,
  Limits,
  ListQuery,
  ListResult,
  MessageSide,
  SendRequest,
  SendResult,
  SendTarget,
} from '../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../shared/model/exchange';
import type { ImportExchangeInput } from './store/import-exchange';
import type { ExchangeRecorder } from './store/recorder-types';

type MaybePromise<T> = T | Promise<T>;

/** The exchange store (main/core/store/exchange-store.ts) as the service uses it. */
export interface StorePart extends ExchangeRecorder {
  list(query: ListQuery): MaybePromise<ListResult>;
  get(id: number): MaybePromise<ExchangeDetail | null>;
  readBody(query: BodySliceQuery): Promise<BodySlice>;
  readRaw?(id: number, side: MessageSide): Promise<Uint8Array | null>;
  subscribe(listener: (event: InspectorEvent) => void): () => void;
  clear(): MaybePromise<void>;
  close(): MaybePromise<void>;
  /** Records one complete exchange from a file (HAR import). */
  importExchange?(input: ImportExchangeInput): number;
  /** Exchanges held (for messages); unknown when absent. */
  readonly size?: number;
}

/** What a long job hands a part: progress for its current phase, and a cancel signal. */
export interface JobHooks {
  onProgress?(progress: { done: number; total: number }): void;
  signal?: AbortSignal;
}

/** A running proxy listener. */
export interface ProxyHandle {
  address: { host: string; port: number };
  warnings: string[];
  stop(): Promise<void>;
}

export interface ProxyStartOptions {
  host: string;
  port: number;
  interceptHttps: boolean;
  noInterceptHosts: string[];
  insecureUpstream: boolean;
  recorder: ExchangeRecorder;
  limits: Limits;
}

export interface ServiceParts {
  store?: StorePart;
  startProxy?(options: ProxyStartOptions): Promise<ProxyHandle>;
  /** Keeps the limits for the next run (absent: they last for this run only). */
  saveLimits?(limits: Limits): void;
  send?(
    request: SendRequest,
    deps: { recorder?: ExchangeRecorder; signal: AbortSignal },
  ): Promise<SendResult>;
  caInfo?(): Promise<CaInfo>;
  launchBrowser?(input: { url?: string; proxy: { host: string; port: number } }): Promise<{
    pid: number | null;
  }>;
  exportHar?(
    store: StorePart,
    query: { ids?: number[]; filter?: string; path?: string },
    job?: JobHooks,
  ): Promise<ExportResult>;
  importHar?(store: StorePart, input: { text: string }, job?: JobHooks): Promise<ImportResult>;
  toCurl?(
    input: { detail: ExchangeDetail; requestRaw: Uint8Array },
    options: { platform?: 'posix' | 'cmd' | 'powershell'; insecure?: boolean },
  ): MaybePromise<string>;
  fromCurl?(
    command: string,
  ): MaybePromise<{ raw: Uint8Array; target: SendTarget; warnings: string[] }>;
  /** Writes the store's whole capture to one capture file. */
  saveCapture?(
    store: StorePart,
    file: string,
    job?: JobHooks,
  ): Promise<{ path: string; bytes: number }>;
  /**
   * Replaces `current` (closing it; its log archived as by Clear) with a store on the
   * capture in `file`. See main/core/export/capture-replace.ts for what a failure leaves.
   */
  replaceCapture?(
    current: StorePart,
    file: string,
    job: JobHooks & { onLoadProgress?(progress: { done: number; total: number }): void },
  ): Promise<{ store: StorePart; archivedTo: string | null; warnings: string[]; failed?: unknown }>;
  /** Resources to release on close (after the proxy stopped, before the store closes). */
  dispose?(): Promise<void>;
}
