/**
 * HTTPS interception, installed as the proxy's CONNECT hook. After the proxy answered
 * `200`, we peek at the client's first bytes:
 * - a TLS ClientHello → terminate TLS with a leaf for its SNI (or the CONNECT target when
 *   there is no SNI, e.g. a client connecting by IP) and serve the decrypted HTTP/1.1
 *   exactly like plain HTTP, as scheme `https`;
 * - anything else (or a host on the no-intercept list) → a blind tunnel, recorded as such.
 * A client that refuses our certificate is recorded as a failed connection and a failed
 * CONNECT exchange with a hint, never dropped silently.
 */
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { TlsDetails } from '../../../shared/model/exchange';
import type { ConnectionContext, ConnectRequest, ProxyRuntime } from '../proxy/connection-context';
import { clientTlsError } from './client-tls-error';
import type { ExchangeRecorder } from '../store/recorder-types';
import type { LeafCertificates } from './leaf-certificates';
import { isValidCertificateHost, normalizeHost } from './leaf-certificates';
import { peekFirstBytes } from './peek-first-bytes';
import { nowMs as now } from '../clock';

export interface InterceptSettings {
  /** Default true. When false every CONNECT is a blind tunnel. */
  interceptHttps?: boolean;
  /** Hosts passed through as blind tunnels: `example.com`, or `*.example.com` for subdomains. */
  noInterceptHosts?: string[];
  /** How long to wait for the client's first bytes before relaying blindly (default 5 s). */
  firstBytesTimeoutMs?: number;
}

/** Serves HTTP/1.1 on a duplex: the proxy's `serveHttpConnection`. */
export type ServeHttpConnection = (socket: Duplex, ctx: ConnectionContext) => unknown;

export interface InterceptorOptions {
  leaves: LeafCertificates;
  settings?: InterceptSettings;
  serveHttpConnection: ServeHttpConnection;
}

export type ConnectHandler = (request: ConnectRequest, runtime: ProxyRuntime) => void;

export function createInterceptor(options: InterceptorOptions): ConnectHandler {
  const settings = options.settings ?? {};
  const passThrough = hostMatcher(settings.noInterceptHosts ?? []);
  return (request, runtime) => {
    if (settings.interceptHttps === false || passThrough(request.target.host)) {
      request.relayBlind();
      return;
    }
    void intercept(
      request,
      runtime,
      options,
      passThrough,
      settings.firstBytesTimeoutMs ?? 5000,
    ).catch((error: Error) => {
      // Never leave a client hanging: anything unexpected fails the exchange and closes.
      request.exchange.fail({
        code: 'INTERNAL',
        message: `interception failed: ${error.message}`,
      });
      request.socket.destroy();
    });
  };
}

async function intercept(
  request: ConnectRequest,
  runtime: ProxyRuntime,
  options: InterceptorOptions,
  passThrough: (host: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  const { socket, target, exchange } = request;
  const first = await peekFirstBytes(socket, request.head, timeoutMs);
  if (first.outcome === 'closed') {
    if (first.bytes === 0) {
      exchange.addWarning('the client closed the tunnel without sending anything');
    }
    exchange.setState('tunnel');
    exchange.finish();
    socket.destroy();
    return;
  }
  if (first.outcome === 'silent' || first.peek.kind === 'not-tls') {
    // The relay sends `request.head` first, then what was put back on the socket.
    request.relayBlind();
    return;
  }

  const hello = first.peek;
  const sni = hello.serverName ? normalizeHost(hello.serverName) : undefined;
  // A client may CONNECT by IP and name the pinned host only in its SNI.
  if (sni && passThrough(sni)) {
    request.relayBlind();
    return;
  }
  const certHost = sni && isValidCertificateHost(sni) ? sni : normalizeHost(target.host);
  const tlsStart = now();
  exchange.mark('tlsStart', tlsStart);
  const recorder = guarded(runtime.recorder);
  const connectionId = recorder.openConnection({
    source: 'proxy',
    clientAddress: socket.remoteAddress,
    clientPort: socket.remotePort,
    // The tunnel decides where requests go (the SNI is only the client's claim).
    target: { host: target.host, port: target.port, tls: true },
    openedAt: tlsStart,
    tls: { sni },
  });
  // The socket has no owner while the leaf is signed; a reset then must not crash the
  // process (the TLS socket reports errors on its own once it wraps the handle).
  socket.on('error', () => undefined);
  const leaf = await options.leaves.leafFor(certHost);
  // The TLS socket reads what is buffered on `socket` first: put the proxy's head back too.
  if (request.head.length > 0) socket.unshift(Buffer.from(request.head));

  const secure = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext: leaf.secureContext,
    // HTTP/2 is not intercepted yet: offering only http/1.1 makes clients fall back cleanly.
    ALPNProtocols: ['http/1.1'],
  });
  let handshakeDone = false;
  // A client that stalls mid-handshake must not hold the socket forever.
  const handshakeTimer = setTimeout(() => {
    const error = Object.assign(new Error('the TLS handshake timed out'), { code: 'ETIMEDOUT' });
    onFailure(error);
  }, runtime.limits.headTimeoutMs);
  const onFailure = (error?: Error): void => {
    if (handshakeDone) return;
    handshakeDone = true;
    clearTimeout(handshakeTimer);
    const failure = clientTlsError(certHost, error);
    recorder.updateConnection(connectionId, { error: failure, closedAt: now() });
    exchange.fail(failure);
    secure.destroy();
  };
  secure.once('error', onFailure);
  secure.once('close', () => onFailure());
  secure.once('secure', () => {
    handshakeDone = true;
    clearTimeout(handshakeTimer);
    secure.removeListener('error', onFailure);
    const tlsEnd = now();
    exchange.mark('tlsEnd', tlsEnd);
    // The CONNECT did its job: what follows is recorded as https exchanges of their own.
    exchange.setState('complete');
    exchange.finish();
    const details: TlsDetails = {
      sni,
      alpn: secure.alpnProtocol || undefined,
      protocol: secure.getProtocol() ?? undefined,
      cipher: secure.getCipher()?.name,
      certificate: leaf.summary,
    };
    recorder.updateConnection(connectionId, { tls: details });
    secure.once('close', () => recorder.updateConnection(connectionId, { closedAt: now() }));
    options.serveHttpConnection(secure, {
      scheme: 'https',
      connectionId,
      connectTarget: { host: target.host, port: target.port },
      runtime,
    });
  });
}

/** Recording must never stop traffic: a recorder error is reported, not thrown. */
function guarded(
  recorder: ExchangeRecorder,
): Pick<ExchangeRecorder, 'openConnection' | 'updateConnection'> {
  const report = (error: unknown): void =>
    process.emitWarning(`Wirelens recorder error: ${(error as Error).message}`);
  return {
    openConnection(init) {
      try {
        return recorder.openConnection(init);
      } catch (error) {
        report(error);
        return -1;
      }
    },
    updateConnection(id, patch) {
      try {
        recorder.updateConnection(id, patch);
      } catch (error) {
        report(error);
      }
    },
  };
}

/**
 * `example.com` matches itself; `*.example.com` and `.example.com` match its subdomains;
 * `*` matches every host (no interception at all).
 */
export function hostMatcher(patterns: string[]): (host: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of patterns) {
    const pattern = normalizeHost(raw);
    if (!pattern) continue;
    if (pattern === '*') return () => true;
    if (pattern.startsWith('*.')) suffixes.push(pattern.slice(1));
    else if (pattern.startsWith('.')) suffixes.push(pattern);
    else exact.add(pattern);
  }
  return (host) => {
    const h = normalizeHost(host);
    return exact.has(h) || suffixes.some((suffix) => h.endsWith(suffix));
  };
}
