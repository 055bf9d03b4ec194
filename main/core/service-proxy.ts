/**
 * The proxy's life inside the inspector service: its settings, its state
 * (stopped → starting → listening | error) and restarts when settings change.
 * Every state change is reported to `onStatus` so the UI follows without polling.
 */
import type { Limits, ProxySettings, ProxyStatus } from '../../shared/api/inspector-api';
import { DEFAULT_LIMITS } from './limits';
import { notAvailable, toWirelensError } from './service-errors';
import type { ProxyHandle, ServiceParts, StorePart } from './service-parts';

export const DEFAULT_PROXY_SETTINGS: ProxySettings = {
  host: '127.0.0.1',
  port: 8080,
  interceptHttps: true,
  noInterceptHosts: [],
  insecureUpstream: false,
};

export class ProxyController {
  private handle: ProxyHandle | null = null;
  private status: ProxyStatus;
  /** Serialises start/stop so two quick clicks cannot start two listeners. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly parts: ServiceParts,
    private readonly store: StorePart | undefined,
    settings: ProxySettings,
    private readonly onStatus: (status: ProxyStatus) => void,
    private readonly onWarning: (message: string) => void = () => {},
    /** Applied at each start; see applyLimits. */
    private limits: Limits = { ...DEFAULT_LIMITS },
  ) {
    this.status = { state: 'stopped', settings, address: null, error: null };
  }

  getStatus(): ProxyStatus {
    return structuredClone(this.status);
  }

  start(patch: Partial<ProxySettings> = {}): Promise<ProxyStatus> {
    return this.serial(async () => {
      const settings = { ...this.status.settings, ...patch };
      if (this.handle) await this.stopListener();
      const { startProxy } = this.parts;
      if (!startProxy || !this.store) {
        this.set({
          state: 'error',
          settings,
          address: null,
          error: toWirelensError(notAvailable('The capture proxy')),
        });
        return this.getStatus();
      }
      this.set({ state: 'starting', settings, address: null, error: null });
      try {
        this.handle = await startProxy({
          ...settings,
          recorder: this.store,
          limits: this.limits,
        });
        this.set({
          state: 'listening',
          settings,
          address: { ...this.handle.address },
          error: null,
        });
      } catch (error) {
        this.handle = null;
        this.set({ state: 'error', settings, address: null, error: toWirelensError(error) });
      }
      return this.getStatus();
    });
  }

  /**
   * New limits for the proxy. A listening proxy is restarted on the same address so they
   * apply at once (connections open at that moment are closed, as by Stop).
   */
  async applyLimits(limits: Limits): Promise<ProxyStatus> {
    this.limits = { ...limits };
    const { state, address } = this.status;
    if (state !== 'listening' || !address) return this.getStatus();
    return this.start({ host: address.host, port: address.port });
  }

  stop(): Promise<ProxyStatus> {
    return this.serial(async () => {
      await this.stopListener();
      this.set({ ...this.status, state: 'stopped', address: null, error: null });
      return this.getStatus();
    });
  }

  private async stopListener(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.stop();
  }

  private set(status: ProxyStatus): void {
    this.status = status;
    this.onStatus(this.getStatus());
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
