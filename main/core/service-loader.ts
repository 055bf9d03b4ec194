/**
 * Builds the inspector service's parts from the real core modules. Static imports only
 * (the Electron main process is bundled; a computed import path would not be).
 */
import type { CaInfo, Limits } from '../../shared/api/inspector-api';
import { fromCurl } from '../../shared/curl/from-curl';
import { toCurl } from '../../shared/curl/to-curl';
import { launchBrowser, type LaunchedBrowser } from './browser/launch-browser';
import { loadLimits, saveLimits } from './limits-file';
import { saveCapture } from './export/capture-file';
import { replaceCapture } from './export/capture-replace';
import { exportHar } from './export/export-har';
import { importHar } from './export/import-har';
import { ProxyServer } from './proxy/proxy-server';
import { sendRequest } from './sender/send-request';
import { ExchangeStore } from './store/exchange-store';
import { loadOrCreateCa, type CertificateAuthority } from './tls/ca-store';
import { createHttpsInterception } from './tls/https-interception';
import type { ProxyHandle, ProxyStartOptions, ServiceParts } from './service-parts';

export interface LoadedParts {
  parts: ServiceParts;
  limits: Limits;
  /** Said once at start (a damaged limits.json). */
  warnings: string[];
}

/** One CA per data folder, loaded (or created) on first need and then reused. */
function caLoader(dataDir: string): () => Promise<CertificateAuthority> {
  let loading: Promise<CertificateAuthority> | null = null;
  return () => {
    loading ??= loadOrCreateCa(dataDir).catch((error: unknown) => {
      loading = null; // Let a later call retry (e.g. after fixing folder permissions).
      throw error;
    });
    return loading;
  };
}

async function startProxyServer(dataDir: string, options: ProxyStartOptions): Promise<ProxyHandle> {
  const interception = options.interceptHttps
    ? await createHttpsInterception(dataDir, {
        interceptHttps: true,
        noInterceptHosts: options.noInterceptHosts,
      })
    : null;
  const server = new ProxyServer({
    recorder: options.recorder,
    limits: options.limits,
    insecureUpstream: options.insecureUpstream,
    onConnect: interception?.onConnect,
  });
  const address = await server.start({ host: options.host, port: options.port });
  return {
    address,
    warnings: [...server.warnings, ...(interception?.ca.warnings ?? [])],
    stop: () => server.stop(),
  };
}

/**
 * `dataDir` holds the CA (and, by default, the capture); `storeDir` puts the capture
 * elsewhere — an opened capture file — while the CA the user trusts stays the same.
 */
export async function loadParts(dataDir: string, storeDir = dataDir): Promise<LoadedParts> {
  // Replaced by "Open capture"; the parts below always work on the one in place.
  let store = await ExchangeStore.open(storeDir);
  const loadCa = caLoader(dataDir);
  const browsers = new Set<LaunchedBrowser>();

  const parts: ServiceParts = {
    store,
    startProxy: (options) => startProxyServer(dataDir, options),
    saveLimits: (limits) => saveLimits(dataDir, limits),
    send: (request, deps) => sendRequest(request, deps),
    async caInfo(): Promise<CaInfo> {
      const ca = await loadCa();
      return {
        certPath: ca.certPath,
        sha256Fingerprint: ca.sha256Fingerprint,
        spkiFingerprint: ca.spkiFingerprint,
        pem: ca.certPem,
      };
    },
    async launchBrowser({ url, proxy }) {
      const ca = await loadCa();
      const browser = await launchBrowser({ proxy, url, spkiFingerprint: ca.spkiFingerprint });
      browsers.add(browser);
      void browser.exited.finally(() => browsers.delete(browser));
      return { pid: browser.pid };
    },
    // The real store, not the service's view of it: saving needs its log folder.
    exportHar: (_store, query, job) => exportHar(store, { ...query, ...job }),
    importHar: (_store, input, job) => importHar(store, input.text, job),
    saveCapture: (_store, file, job) => saveCapture(store, file, job),
    async replaceCapture(_current, file, job) {
      const replaced = await replaceCapture(store, storeDir, file, job);
      store = replaced.store;
      return replaced;
    },
    toCurl: ({ detail, requestRaw }, options) =>
      toCurl(
        {
          requestRaw,
          scheme: detail.summary.scheme,
          host: detail.summary.host,
          port: detail.summary.port,
        },
        options,
      ),
    // No file reader: `-d @file` in a pasted command must not read this machine's files
    // for whoever holds the UI (the web mode's token); fromCurl warns instead.
    fromCurl: (command) => fromCurl(command),
    async dispose() {
      // A browser left pointing at a proxy that is gone would just show errors.
      await Promise.all([...browsers].map((b) => b.close().catch(() => undefined)));
    },
  };
  const limits = loadLimits(dataDir);
  return { parts, limits: limits.limits, warnings: limits.warning ? [limits.warning] : [] };
}
