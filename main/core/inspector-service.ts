/**
 * The InspectorApi, implemented once over the core's parts (store, proxy, sender, CA,
 * browser launcher, HAR/cURL). Electron's IPC bridge and the web mode's WebSocket both
 * carry exactly this object. It never imports electron.
 *
 * Failures always reject with a ServiceError ({ code, message }); a part this build does
 * not have fails with NOT_AVAILABLE rather than breaking the rest.
 */
import type {
  BodySlice,
  BodySliceQuery,
  CaInfo,
  ExportHarQuery,
  ExportResult,
  ImportHarInput,
  ImportResult,
  InspectorApi,
  InspectorEvent,
  Limits,
  ListQuery,
  JobOptions,
  ListResult,
  OpenCaptureResult,
  ProxySettings,
  ProxyStatus,
  SendRequest,
  SendResult,
  SendTarget,
  TransferFile,
} from '../../shared/api/inspector-api';
import { ERROR_CODES } from '../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../shared/model/exchange';
import { ServiceError, invalidArgument, notAvailable } from './service-errors';
import { readMessageSlice } from './service-message-slice';
import { loadParts, type LoadedParts } from './service-loader';
import { checkLimits, DEFAULT_LIMITS } from './limits';
import path from 'node:path';
import { TRANSFERS_DIR, TransferFiles } from './service-files';
import { JobRunner } from './service-jobs';
import type { ServiceParts, StorePart } from './service-parts';
import { DEFAULT_PROXY_SETTINGS, ProxyController } from './service-proxy';
import { StoreSwitch } from './service-store-switch';
import { ServiceTransfers } from './service-transfers';
import {
  checkBodyQuery,
  checkBrowserUrl,
  checkId,
  checkListQuery,
  checkSendRequest,
  checkString,
} from './service-arguments';

export interface InspectorServiceOptions {
  /** The data folder (see main/core/data-dir.ts); holds the store and the CA. */
  dataDir: string;
  /** Folder of the capture store when not `dataDir` (an opened capture file). */
  storeDir?: string;
  /** Where the proxy listens (default 127.0.0.1:8080; port 0 = any free port). */
  listen?: { host: string; port: number };
  /** Start the proxy right away (default true). A failure is reported in its status. */
  startProxy?: boolean;
  /** Proxy settings other than the address. */
  proxy?: Partial<Omit<ProxySettings, 'host' | 'port'>>;
  /** Replaces the real parts (tests and embedders). */
  parts?: ServiceParts;
}

export class InspectorService implements InspectorApi {
  private readonly listeners = new Set<(event: InspectorEvent) => void>();
  private readonly sends = new Map<string, AbortController>();
  private readonly proxy: ProxyController;
  private readonly unsubscribeStore: () => void;
  /** The store, swappable by "Open capture" (null when the build has none). */
  private readonly store: StoreSwitch | null;
  private readonly jobs = new JobRunner((event) => this.emit(event));
  private readonly transfers: ServiceTransfers;
  private closing: Promise<void> | null = null;
  /** Problems found while starting (a damaged limits.json), for the caller to show. */
  startupWarnings: readonly string[] = [];

  private constructor(
    private readonly parts: ServiceParts,
    private limits: Limits,
    settings: ProxySettings,
    /** Uploads and written files handed to the transports (web: `/api/files`). */
    readonly files: TransferFiles,
  ) {
    this.store = parts.store ? new StoreSwitch(parts.store) : null;
    this.proxy = new ProxyController(
      parts,
      this.store ?? undefined,
      settings,
      (status) => this.emit({ type: 'proxy-status', status }),
      (message) => this.emit({ type: 'notice', level: 'warning', message }),
      limits,
    );
    this.unsubscribeStore = this.store?.subscribe((event) => this.emit(event)) ?? (() => {});
    this.transfers = new ServiceTransfers(parts, () => this.requireSwitch(), files, this.jobs);
  }

  /** Opens the store and the other parts, then starts the proxy (unless told not to). */
  static async create(options: InspectorServiceOptions): Promise<InspectorService> {
    const loaded: LoadedParts = options.parts
      ? { parts: options.parts, limits: { ...DEFAULT_LIMITS }, warnings: [] }
      : await loadParts(options.dataDir, options.storeDir);
    const settings: ProxySettings = {
      ...DEFAULT_PROXY_SETTINGS,
      ...options.proxy,
      ...(options.listen ?? {}),
    };
    const files = new TransferFiles(path.join(options.dataDir, TRANSFERS_DIR));
    const service = new InspectorService(loaded.parts, loaded.limits, settings, files);
    service.startupWarnings = loaded.warnings;
    if (options.startProxy !== false) await service.proxy.start();
    return service;
  }

  /** Events for the UI: store batches, proxy status, notices. Returns the unsubscribe. */
  onEvent(listener: (event: InspectorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async getProxyStatus(): Promise<ProxyStatus> {
    return this.proxy.getStatus();
  }

  async startProxy(settings?: Partial<ProxySettings>): Promise<ProxyStatus> {
    return this.proxy.start(settings ?? {});
  }

  async stopProxy(): Promise<ProxyStatus> {
    return this.proxy.stop();
  }

  async getLimits(): Promise<Limits> {
    return { ...this.limits };
  }

  /**
   * Changes some limits: checked (a bad value is INVALID_ARGUMENT naming it), kept for the
   * next run when the build can (limits.json), and applied now — a listening proxy is
   * restarted on the same address.
   */
  async setLimits(patch: Partial<Limits>): Promise<Limits> {
    let checked: Partial<Limits>;
    try {
      checked = checkLimits(patch);
    } catch (error) {
      throw invalidArgument(`${(error as Error).message}.`);
    }
    const limits = { ...this.limits, ...checked };
    this.parts.saveLimits?.(limits);
    this.limits = limits;
    await this.proxy.applyLimits(limits);
    return { ...limits };
  }

  async listExchanges(query: ListQuery): Promise<ListResult> {
    return this.requireStore().list(checkListQuery(query));
  }

  async getExchange(id: number): Promise<ExchangeDetail | null> {
    return this.requireStore().get(checkId(id));
  }

  async readBody(query: BodySliceQuery): Promise<BodySlice> {
    const checked = checkBodyQuery(query);
    if (checked.part === 'message') return readMessageSlice(this.requireStore(), checked);
    return this.requireStore().readBody(checked);
  }

  async send(request: SendRequest): Promise<SendResult> {
    const { send } = this.parts;
    if (!send) throw notAvailable('Sending requests');
    checkSendRequest(request);
    const controller = new AbortController();
    const sendId = request.sendId;
    if (sendId !== undefined) this.sends.set(sendId, controller);
    try {
      return await send(request, { recorder: this.store ?? undefined, signal: controller.signal });
    } finally {
      if (sendId !== undefined && this.sends.get(sendId) === controller) this.sends.delete(sendId);
    }
  }

  async cancelSend(sendId: string): Promise<boolean> {
    const controller = this.sends.get(checkString(sendId, 'sendId'));
    if (!controller) return false;
    controller.abort();
    this.sends.delete(sendId);
    return true;
  }

  async clear(): Promise<void> {
    await this.requireStore().clear();
  }

  async getCaInfo(): Promise<CaInfo> {
    if (!this.parts.caInfo) throw notAvailable('The HTTPS certificate authority');
    return this.parts.caInfo();
  }

  async launchBrowser(url?: string): Promise<{ pid: number | null }> {
    if (!this.parts.launchBrowser) throw notAvailable('Launching a browser');
    const page = url === undefined ? undefined : checkBrowserUrl(url);
    const status = this.proxy.getStatus();
    if (status.state !== 'listening' || !status.address) {
      throw new ServiceError(
        ERROR_CODES.INVALID_ARGUMENT,
        'Start the proxy first: the browser is launched pointed at it.',
      );
    }
    return this.parts.launchBrowser({ url: page, proxy: status.address });
  }

  exportHar(query: ExportHarQuery): Promise<ExportResult> {
    return this.call(() => this.transfers.exportHar(query));
  }

  importHar(input: ImportHarInput): Promise<ImportResult> {
    return this.call(() => this.transfers.importHar(input));
  }

  saveCapture(options?: JobOptions): Promise<TransferFile & { count: number }> {
    return this.call(() => this.transfers.saveCapture(options));
  }

  openCapture(input: JobOptions & { fileId: string }): Promise<OpenCaptureResult> {
    return this.call(() => this.transfers.openCapture(input));
  }

  async cancelJob(jobId: string): Promise<boolean> {
    return this.jobs.cancel(checkString(jobId, 'jobId'));
  }

  async toCurl(query: {
    id: number;
    platform?: 'posix' | 'cmd' | 'powershell';
    insecure?: boolean;
  }): Promise<string> {
    const { toCurl } = this.parts;
    const store = this.requireStore();
    if (!toCurl || !store.readRaw) throw notAvailable('Copy as cURL');
    const id = checkId(query?.id);
    const detail = await store.get(id);
    const requestRaw = detail ? await store.readRaw(id, 'request') : null;
    if (!detail || !requestRaw) {
      throw new ServiceError(ERROR_CODES.NOT_FOUND, `Exchange ${id} has no recorded request.`);
    }
    return toCurl({ detail, requestRaw }, { platform: query.platform, insecure: query.insecure });
  }

  async fromCurl(
    command: string,
  ): Promise<{ raw: Uint8Array; target: SendTarget; warnings: string[] }> {
    if (!this.parts.fromCurl) throw notAvailable('Import from cURL');
    return this.parts.fromCurl(checkString(command, 'command'));
  }

  /**
   * Saves the capture to a path on this machine. Not part of the UI contract (a page must
   * not choose paths here); the Electron menu calls it after a native save dialog.
   */
  saveCaptureTo(file: string, jobId?: string): Promise<{ path: string; bytes: number }> {
    return this.call(() => this.transfers.saveCaptureTo(checkString(file, 'file'), jobId));
  }

  /** Opens a capture file at a path on this machine (Electron's native open dialog). */
  openCaptureFrom(file: string, jobId?: string): Promise<OpenCaptureResult> {
    return this.call(() => this.transfers.openFrom(checkString(file, 'file'), jobId));
  }

  /** Stops the proxy, cancels sends and flushes the store. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const controller of this.sends.values()) controller.abort();
    this.sends.clear();
    this.jobs.cancelAll();
    await this.proxy.stop().catch(() => undefined);
    this.unsubscribeStore();
    await this.parts.dispose?.();
    await this.store?.close();
    this.files.close();
    this.listeners.clear();
  }

  private requireStore(): StorePart {
    return this.requireSwitch();
  }

  private requireSwitch(): StoreSwitch {
    if (!this.store) throw notAvailable('The exchange store');
    return this.store;
  }

  /** Synchronous throws (bad arguments, missing parts) become rejections. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  private emit(event: InspectorEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken transport must not stop the others from getting the event.
      }
    }
  }
}
