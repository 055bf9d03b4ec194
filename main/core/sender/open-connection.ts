/**
 * Opens the sender's connection step by step — DNS lookup, TCP connect, TLS handshake —
 * so each step gets its own timing marks and its own error code. The connect timeout
 * covers all three steps.
 */
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { SendTarget } from '../../../shared/api/inspector-api';
import type { Timings, TlsDetails } from '../../../shared/model/exchange';
import { describeTarget } from './resolve-target';
import {
  SenderError,
  cancelledError,
  describeNetworkError,
  timeoutError,
  type SendPhase,
} from './sender-error';
import { nowMs as now } from '../clock';
import { tlsDetailsOf } from './tls-details';

export interface ConnectOptions {
  connectTimeoutMs: number;
  signal?: AbortSignal;
  /** Extra trusted CA certificates (PEM) for verifying the server, e.g. a local test CA. */
  ca?: string | string[];
}

export interface OpenedConnection {
  socket: net.Socket;
  /** The IP address actually connected to. */
  remoteAddress: string;
  tls?: TlsDetails;
}

export function openConnection(
  target: SendTarget,
  timings: Timings,
  options: ConnectOptions,
): Promise<OpenedConnection> {
  const where = describeTarget(target);
  return new Promise((resolve, reject) => {
    let socket: net.Socket | undefined;
    let phase: SendPhase = 'dns';
    let settled = false;
    const finish = (error: SenderError | null, opened?: OpenedConnection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error || !opened) {
        socket?.destroy();
        reject(error);
      } else {
        resolve(opened);
      }
    };
    const fail = (err: unknown) => {
      const e = describeNetworkError(err, phase, phase === 'dns' ? target.host : where);
      finish(new SenderError(e.code, e.message));
    };
    const timer = setTimeout(() => {
      const e = timeoutError(`connect (${phase})`, options.connectTimeoutMs, where);
      finish(new SenderError(e.code, e.message));
    }, options.connectTimeoutMs);
    const onAbort = () => finish(new SenderError(cancelledError().code, cancelledError().message));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    timings.dnsStart = now();
    lookup(target.host, (err, address, family) => {
      timings.dnsEnd = now();
      if (settled) return;
      if (err) return fail(err);
      phase = 'connect';
      timings.connectStart = now();
      const tcp = net.connect({ host: address, port: target.port, family });
      socket = tcp;
      tcp.setNoDelay(true);
      // Kept for the socket's life (fail() is a no-op once settled): no error goes unhandled.
      tcp.on('error', fail);
      tcp.once('connect', () => {
        timings.connectEnd = now();
        if (!target.tls) return finish(null, { socket: tcp, remoteAddress: address });
        phase = 'tls';
        timings.tlsStart = now();
        const servername = target.servername || target.host;
        const secure = tls.connect({
          socket: tcp,
          // Node refuses an IP address as SNI (RFC 6066 forbids it); verification still checks it.
          servername: net.isIP(servername) ? undefined : servername,
          rejectUnauthorized: target.verify !== false,
          ca: options.ca ? [...tls.rootCertificates, ...[options.ca].flat()] : undefined,
          ALPNProtocols: ['http/1.1'],
          checkServerIdentity: (_host, cert) => tls.checkServerIdentity(servername, cert),
        });
        socket = secure;
        secure.on('error', fail);
        secure.once('secureConnect', () => {
          timings.tlsEnd = now();
          finish(null, {
            socket: secure,
            remoteAddress: address,
            tls: tlsDetailsOf(secure, net.isIP(servername) ? undefined : servername),
          });
        });
      });
    });
  });
}

/**
 * dns.lookup, except for IP literals: those need no resolution, and dns.lookup would still
 * take a round trip through libuv's thread pool (a measurable share of a loopback send).
 */
function lookup(
  host: string,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = net.isIP(literal);
  if (family !== 0) {
    process.nextTick(callback, null, literal, family);
    return;
  }
  dns.lookup(host, callback);
}
