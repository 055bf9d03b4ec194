/**
 * Opens one upstream connection: DNS lookup, TCP connect, optional TLS, each timed and each
 * failure turned into a stable error code. The lookup is done here (not inside
 * `net.connect`) so DNS time and DNS failures are told apart from connect ones.
 */
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { TlsDetails, Timings } from '../../../shared/model/exchange';
import { ProxyError } from './error-status';
import { describeSocketError } from '../socket-errors';
import { describeVerifyError, UNVERIFIED_UPSTREAM_HINT } from '../tls/describe-tls-error';

export interface UpstreamTarget {
  host: string;
  port: number;
  tls: boolean;
  /** The pool's key for it, kept by `poolKey` (targets are reused across exchanges). */
  key?: string;
}

export interface UpstreamConnection {
  socket: net.Socket;
  remoteAddress: string;
  tls?: TlsDetails;
}

export interface ConnectOptions {
  timeoutMs: number;
  /** Skip certificate verification (the user asked; warned elsewhere). */
  insecure: boolean;
  mark(name: keyof Timings): void;
}

async function lookup(host: string, mark: ConnectOptions['mark']): Promise<string> {
  if (net.isIP(host)) return host;
  mark('dnsStart');
  try {
    const { address } = await dns.promises.lookup(host);
    return address;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new ProxyError(
      ERROR_CODES.UPSTREAM_DNS_FAILED,
      `DNS lookup of ${host} failed: ${describeSocketError(code)}`,
    );
  } finally {
    mark('dnsEnd');
  }
}

function tcpConnect(
  address: string,
  target: UpstreamTarget,
  mark: ConnectOptions['mark'],
  onSocket: (s: net.Socket) => void,
) {
  return new Promise<net.Socket>((resolve, reject) => {
    mark('connectStart');
    const socket = net.connect({ host: address, port: target.port });
    onSocket(socket);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      mark('connectEnd');
      socket.removeListener('error', onError);
      resolve(socket);
    });
    const onError = (error: NodeJS.ErrnoException): void => {
      const code = error.code ?? 'error';
      reject(
        new ProxyError(
          ERROR_CODES.UPSTREAM_CONNECT_FAILED,
          `connecting to ${target.host}:${target.port} (${address}) failed: ${describeSocketError(code)}`,
        ),
      );
    };
    socket.once('error', onError);
  });
}

function describeCert(socket: tls.TLSSocket): string {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return 'no certificate';
  const name = (n: tls.Certificate | undefined): string =>
    n
      ? Object.entries(n)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : '?';
  return `subject: ${name(cert.subject)}; issuer: ${name(cert.issuer)}`;
}

function tlsHandshake(socket: net.Socket, target: UpstreamTarget, options: ConnectOptions) {
  return new Promise<{ socket: tls.TLSSocket; details: TlsDetails }>((resolve, reject) => {
    options.mark('tlsStart');
    // rejectUnauthorized stays false so a failed verification can be reported with the
    // certificate's subject and issuer; we enforce it ourselves right after the handshake.
    const secure = tls.connect({
      socket,
      host: target.host,
      servername: net.isIP(target.host) ? undefined : target.host,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new ProxyError(
          ERROR_CODES.UPSTREAM_TLS_FAILED,
          `TLS handshake with ${target.host}:${target.port} failed: ${error.message}`,
        ),
      );
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      options.mark('tlsEnd');
      if (!secure.authorized && !options.insecure) {
        const reason = describeVerifyError(String(secure.authorizationError ?? 'unknown reason'));
        const message =
          `the certificate of ${target.host} was rejected: ${reason}; ${describeCert(secure)}. ` +
          UNVERIFIED_UPSTREAM_HINT;
        secure.destroy();
        reject(new ProxyError(ERROR_CODES.UPSTREAM_TLS_FAILED, message));
        return;
      }
      secure.removeListener('error', onError);
      const cert = secure.getPeerCertificate();
      resolve({
        socket: secure,
        details: {
          sni: net.isIP(target.host) ? undefined : target.host,
          alpn: secure.alpnProtocol || undefined,
          protocol: secure.getProtocol() ?? undefined,
          cipher: secure.getCipher()?.name,
          certificate: cert?.subject
            ? {
                subject: Object.entries(cert.subject)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', '),
                issuer: Object.entries(cert.issuer ?? {})
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', '),
                validFrom: cert.valid_from,
                validTo: cert.valid_to,
                fingerprint256: cert.fingerprint256,
              }
            : undefined,
        },
      });
    });
  });
}

/** Connects within `timeoutMs` overall (DNS + TCP + TLS), or fails with UPSTREAM_TIMEOUT. */
export async function connectUpstream(
  target: UpstreamTarget,
  options: ConnectOptions,
): Promise<UpstreamConnection> {
  let timer: NodeJS.Timeout | undefined;
  let pending: net.Socket | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      pending?.destroy();
      reject(
        new ProxyError(
          ERROR_CODES.UPSTREAM_TIMEOUT,
          `connecting to ${target.host}:${target.port} took longer than ${options.timeoutMs} ms`,
        ),
      );
    }, options.timeoutMs);
  });
  const attempt = (async (): Promise<UpstreamConnection> => {
    const address = await lookup(target.host, options.mark);
    const socket = await tcpConnect(address, target, options.mark, (s) => (pending = s));
    if (!target.tls) return { socket, remoteAddress: address };
    const secured = await tlsHandshake(socket, target, options);
    return { socket: secured.socket, remoteAddress: address, tls: secured.details };
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } catch (error) {
    // A connection that completes after the timeout fired must not leak.
    attempt.then(
      (c) => c.socket.destroy(),
      () => undefined,
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
