/**
 * The capture proxy's listener: accepts client connections, opens a connection record for
 * each, and serves HTTP/1.1 on it. Loopback by default; any other address is the user's
 * explicit choice and comes with a warning (an open proxy on a LAN lets anyone on it
 * browse through this machine and read what passes).
 */
import net from 'node:net';
import os from 'node:os';
import type { Limits } from '../../../shared/api/inspector-api';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import { resolveLimits } from '../limits';
import type { ExchangeRecorder } from '../store/recorder-types';
import type { ConnectionHandle, ConnectRequest, ProxyRuntime } from './connection-context';
import { ProxyError } from './error-status';
import type { FinishedExchange } from './exchange-record';
import { serveHttpConnection } from './http-connection';
import { syntheticResponse } from './synthetic-response';
import { nowMs as now } from '../clock';
import { UpstreamPool } from './upstream-pool';

export interface ProxyServerOptions {
  recorder: ExchangeRecorder;
  limits?: Partial<Limits>;
  /** Skip upstream certificate verification. */
  insecureUpstream?: boolean;
  /** HTTPS interception hook (main/core/tls/intercept.ts); absent → blind tunnels. */
  onConnect?: (request: ConnectRequest, runtime: ProxyRuntime) => void;
  /** Called once per exchange when it ends (complete, failed or tunnel closed). */
  onExchangeEnd?: (info: FinishedExchange) => void;
}

export interface ListenOptions {
  host?: string;
  /** 0 = any free port. Default 8080. */
  port?: number;
}

export interface ProxyAddress {
  host: string;
  port: number;
}

const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.',
  'ip6-localhost',
  '::1',
  '0:0:0:0:0:0:0:1',
]);

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    LOOPBACK_NAMES.has(h) ||
    h.endsWith('.localhost') ||
    /^127\./.test(h) ||
    h === '::ffff:127.0.0.1'
  );
}

export function nonLoopbackWarning(host: string): string {
  return (
    `Warning: the proxy listens on ${host}, not on a loopback address. Anyone who can reach ` +
    `this address can use it to send requests from this machine and read what passes through it.`
  );
}

export class ProxyServer {
  private server: net.Server | null = null;
  private readonly connections = new Set<ConnectionHandle>();
  private readonly runtime: ProxyRuntime;
  private listening: ProxyAddress | null = null;
  private localAddresses = new Set<string>();
  readonly warnings: string[] = [];

  constructor(private readonly options: ProxyServerOptions) {
    const limits = resolveLimits(options.limits);
    const onConnect = options.onConnect;
    this.runtime = {
      recorder: options.recorder,
      limits,
      insecureUpstream: options.insecureUpstream ?? false,
      pool: new UpstreamPool({
        connectTimeoutMs: limits.upstreamConnectTimeoutMs,
        idleTimeoutMs: limits.idleTimeoutMs,
        insecure: options.insecureUpstream ?? false,
      }),
      isSelf: (host, port) => this.isSelf(host, port),
      onExchangeEnd: options.onExchangeEnd,
      onConnect: onConnect ? (request, runtime) => onConnect(request, runtime) : undefined,
    };
  }

  get address(): ProxyAddress | null {
    return this.listening ? { ...this.listening } : null;
  }

  get limits(): Limits {
    return { ...this.runtime.limits };
  }

  /** Starts listening. Rejects with code PROXY_PORT_IN_USE when the port is taken. */
  async start(listen: ListenOptions = {}): Promise<ProxyAddress> {
    if (this.server)
      throw new ProxyError(ERROR_CODES.INVALID_ARGUMENT, 'the proxy is already started');
    const host = listen.host ?? '127.0.0.1';
    const port = listen.port ?? 8080;
    // allowHalfOpen: a client may send its request and then FIN (shutdown(SHUT_WR)); it
    // still gets its answer, and CONNECT tunnels forward the half-close.
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) =>
      this.accept(socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          reject(
            new ProxyError(
              ERROR_CODES.PROXY_PORT_IN_USE,
              `port ${port} on ${host} is already in use`,
            ),
          );
        } else {
          reject(
            new ProxyError(
              'PROXY_LISTEN_FAILED',
              `cannot listen on ${host}:${port}: ${error.message}`,
            ),
          );
        }
      });
      server.listen({ host, port }, () => resolve());
    });
    server.on('error', () => undefined);
    const bound = server.address() as net.AddressInfo;
    this.server = server;
    this.listening = { host, port: bound.port };
    this.localAddresses = collectLocalAddresses(host);
    if (!isLoopbackHost(host)) this.warnings.push(nonLoopbackWarning(host));
    return this.address!;
  }

  /**
   * Stops accepting, lets in-flight exchanges finish for up to `graceMs`, then cuts what
   * is left (those exchanges are recorded as failed). Idle connections close at once.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of this.connections) c.closeWhenIdle();
    const all = Promise.all([...this.connections].map((c) => c.closed));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs ?? 5000))),
    ]);
    clearTimeout(timer);
    for (const c of this.connections) c.destroy();
    this.runtime.pool.closeAll();
    await closed;
    this.listening = null;
  }

  /** True for this proxy's own listening address, under any loopback or local name. */
  isSelf(host: string, port: number): boolean {
    const l = this.listening;
    if (!l || port !== l.port) return false;
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    if (h === l.host.toLowerCase()) return true;
    if (isLoopbackHost(h) || h === '0.0.0.0' || h === '::') return true;
    return this.localAddresses.has(h);
  }

  private accept(socket: net.Socket): void {
    socket.on('error', () => undefined);
    if (this.connections.size >= this.runtime.limits.maxConnections) {
      // Over the cap: a clear refusal rather than a silent drop or an fd exhaustion.
      const page = syntheticResponse(503, 'Wirelens: too many connections to the proxy.\n', {
        close: true,
      });
      socket.end(page.bytes);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const openedAt = now();
    let connectionId = -1;
    try {
      connectionId = this.runtime.recorder.openConnection({
        source: 'proxy',
        clientAddress: socket.remoteAddress,
        clientPort: socket.remotePort,
        openedAt,
      });
    } catch {
      // recording problems never stop traffic
    }
    const handle = serveHttpConnection(socket, {
      scheme: 'http',
      connectionId,
      runtime: this.runtime,
    });
    this.connections.add(handle);
    void handle.closed.then(() => {
      this.connections.delete(handle);
      try {
        this.runtime.recorder.updateConnection(connectionId, { closedAt: now() });
      } catch {
        // ignore
      }
    });
  }
}

function collectLocalAddresses(host: string): Set<string> {
  const out = new Set<string>();
  if (host !== '0.0.0.0' && host !== '::') return out;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) out.add(info.address.toLowerCase());
  }
  out.add(os.hostname().toLowerCase());
  return out;
}
