/** The proxy's state and settings, the CA certificate, the browser launcher, notices. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  CaInfo,
  InspectorEvent,
  Limits,
  ProxySettings,
  ProxyStatus,
} from '../../../shared/api/inspector-api';
import { errorText, inspectorClient } from './client';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  message: string;
}

export const useProxyStore = defineStore('proxy', () => {
  const status = shallowRef<ProxyStatus | null>(null);
  const caInfo = shallowRef<CaInfo | null>(null);
  const caError = ref<string | null>(null);
  const limits = shallowRef<Limits | null>(null);
  const limitsError = ref<string | null>(null);
  const busy = ref(false);
  const notices = ref<Notice[]>([]);
  let nextNotice = 1;
  let unsubscribe: (() => void) | null = null;

  async function start(): Promise<void> {
    if (!unsubscribe) unsubscribe = inspectorClient().onEvent(onEvent);
    try {
      status.value = await inspectorClient().getProxyStatus();
    } catch (e) {
      notify('error', `Could not read the proxy status: ${errorText(e)}`);
    }
  }

  function onEvent(event: InspectorEvent): void {
    if (event.type === 'proxy-status') status.value = event.status;
    else if (event.type === 'notice') notify(event.level, event.message);
  }

  function notify(level: Notice['level'], message: string): void {
    notices.value = [...notices.value.slice(-4), { id: nextNotice++, level, message }];
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  async function run(action: () => Promise<ProxyStatus>): Promise<void> {
    busy.value = true;
    try {
      status.value = await action();
      if (status.value.error) notify('error', status.value.error.message);
    } catch (e) {
      notify('error', errorText(e));
    } finally {
      busy.value = false;
    }
  }

  const startProxy = (settings?: Partial<ProxySettings>) =>
    run(() => inspectorClient().startProxy(settings));
  const stopProxy = () => run(() => inspectorClient().stopProxy());

  async function changePort(port: number): Promise<void> {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      notify('error', `"${port}" is not a port number (0–65535).`);
      return;
    }
    if (status.value?.state === 'listening') await stopProxy();
    await startProxy({ port });
  }

  /** Restarts the proxy with a changed setting, on the port in use (the setting may say 0). */
  async function restartWith(patch: Partial<ProxySettings>): Promise<void> {
    const port = status.value?.address?.port ?? status.value?.settings.port;
    if (status.value?.state === 'listening') await stopProxy();
    await startProxy(port === undefined ? patch : { ...patch, port });
  }

  const setInterceptHttps = (on: boolean) => restartWith({ interceptHttps: on });
  /** Off: upstream certificates are not verified (this run only; the UI warns). */
  const setVerifyUpstream = (on: boolean) => restartWith({ insecureUpstream: !on });

  async function loadCaInfo(): Promise<void> {
    try {
      caInfo.value = await inspectorClient().getCaInfo();
      caError.value = null;
    } catch (e) {
      caError.value = errorText(e);
    }
  }

  /**
   * Changes limits (kept for the next run; a listening proxy restarts to apply them).
   * Returns the error in words, or null when applied.
   */
  async function saveLimits(patch: Partial<Limits>): Promise<string | null> {
    try {
      limits.value = await inspectorClient().setLimits(patch);
      limitsError.value = null;
      notify('info', 'Limits applied; the proxy restarted with them.');
      return null;
    } catch (e) {
      return `Could not change the limits: ${errorText(e)}`;
    }
  }

  /** The limits the proxy applies, for the Settings dialog. */
  async function loadLimits(): Promise<void> {
    try {
      limits.value = await inspectorClient().getLimits();
      limitsError.value = null;
    } catch (e) {
      limitsError.value = `Could not read the limits: ${errorText(e)}`;
    }
  }

  async function openBrowser(): Promise<void> {
    try {
      await inspectorClient().launchBrowser();
      notify('info', 'Browser launched with its proxy set to Wirelens.');
    } catch (e) {
      notify('error', `Could not open the browser: ${errorText(e)}`);
    }
  }

  return {
    status,
    caInfo,
    caError,
    limits,
    limitsError,
    saveLimits,
    busy,
    notices,
    start,
    notify,
    dismiss,
    startProxy,
    stopProxy,
    changePort,
    setInterceptHttps,
    setVerifyUpstream,
    loadCaInfo,
    loadLimits,
    openBrowser,
  };
});
