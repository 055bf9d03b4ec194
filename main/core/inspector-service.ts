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
  ExportResult,
  ImportResult,
  InspectorApi,
  InspectorEvent,
  Limits,
  ListQuery,
  ListResult,
  ProxySettings,
  ProxyStatus,
  SendRequest,
  SendResult,
  SendTarget,
} from '../../shared/api/inspector-api';
import { ERROR_CODES } from '../../shared/api/inspector-api';
import type { ExchangeDetail } from '../../shared/model/exchange';
import { ServiceError, notAvailable } from './service-errors';
import { readMessageSlice } from './service-message-slice';
import { defaultLimits, loadParts, type LoadedParts } from './service-loader';
import type { ServiceParts, StorePart } from './service-parts';
import { DEFAULT_PROXY_SETTINGS, ProxyController } from './service-proxy';
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
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly parts: ServiceParts,
    private readonly limits: Limits,
    settings: ProxySettings,
  ) {
    this.proxy = new ProxyController(
      parts,
      parts.store,
      settings,
      (status) => this.emit({ type: 'proxy-status', status }),
      (message) => this.emit({ type: 'notice', level: 'warning', message }),
    );
    this.unsubscribeStore = parts.store?.subscribe((event) => this.emit(event)) ?? (() => {});
  }

  /** Opens the store and the other parts, then starts the proxy (unless told not to). */
  static async create(options: InspectorServiceOptions): Promise<InspectorService> {
    const loaded: LoadedParts = options.parts
      ? { parts: options.parts, limits: await defaultLimits() }
      : await loadParts(options.dataDir, options.storeDir);
    const settings: ProxySettings = {
      ...DEFAULT_PROXY_SETTINGS,
      ...options.proxy,
      ...(options.listen ?? {}),
    };
    const service = new InspectorService(loaded.parts, loaded.limits, settings);
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
      return await send(request, { recorder: this.parts.store, signal: controller.signal });
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

  async exportHar(query: {
    ids?: number[];
    filter?: string;
    path?: string;
  }): Promise<ExportResult> {
    if (!this.parts.exportHar) throw notAvailable('HAR export');
    return this.parts.exportHar(this.requireStore(), query ?? {});
  }

  async importHar(input: { text: string; name?: string }): Promise<ImportResult> {
    if (!this.parts.importHar) throw notAvailable('HAR import');
    checkString(input?.text, 'text');
    return this.parts.importHar(this.requireStore(), input);
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
   * Saves the capture as one file. Not part of the UI contract (a page must not choose
   * paths on this machine); the Electron menu calls it after a native save dialog.
   */
  async saveCapture(file: string): Promise<{ path: string; bytes: number }> {
    if (!this.parts.saveCapture) throw notAvailable('Saving capture files');
    return this.parts.saveCapture(checkString(file, 'file'));
  }

  /** Stops the proxy, cancels sends and flushes the store. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const controller of this.sends.values()) controller.abort();
    this.sends.clear();
    await this.proxy.stop().catch(() => undefined);
    this.unsubscribeStore();
    await this.parts.dispose?.();
    await this.parts.store?.close();
    this.listeners.clear();
  }

  private requireStore(): StorePart {
    if (!this.parts.store) throw notAvailable('The exchange store');
    return this.parts.store;
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
