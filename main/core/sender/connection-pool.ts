/**
 * Idle connections kept for the next send to the same target (`keepAlive`). Small on
 * purpose: a sender is driven by a person or a script, not by a crowd of clients.
 *
 * Cheap to cycle through: a pooled connection's listeners stay attached (./socket-events.ts;
 * the pool just becomes their sink), and one sweep timer per pool expires idle connections
 * instead of a timer per pooling.
 */
import { createHash } from 'node:crypto';
import type net from 'node:net';
import type { SendTarget } from '../../../shared/api/inspector-api';
import type { TlsDetails } from '../../../shared/model/exchange';
import type { ExchangeRecorder } from '../store/recorder-types';
import { SocketEvents, type SocketEventSink } from './socket-events';

export interface PooledConnection {
  socket: net.Socket;
  remoteAddress: string;
  tls?: TlsDetails;
  /** The connection's id in `recorder` (null when sends were not recorded). */
  connectionId: number | null;
  recorder?: ExchangeRecorder;
  /** Index the next exchange on this connection gets. */
  nextIndex: number;
  /** The socket's listeners (attached on first pooling if the opener did not). */
  events?: SocketEvents;
}

/** One idle connection; it is its own event sink: anything on an idle socket drops it. */
class IdleEntry implements SocketEventSink {
  constructor(
    readonly connection: PooledConnection,
    readonly idleSince: number,
    private readonly owner: ConnectionPool,
    readonly key: string,
  ) {}

  // A late 408, a close, an error: an idle connection that hears anything is unusable.
  data(): void {
    this.owner.drop(this);
  }
  end(): void {
    this.owner.drop(this);
  }
  error(): void {
    this.owner.drop(this);
  }
  close(): void {
    this.owner.drop(this);
  }
}

export class ConnectionPool {
  private readonly idle = new Map<string, IdleEntry[]>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly idleTimeoutMs = 30_000,
    private readonly maxIdlePerTarget = 4,
  ) {}

  /** Connections are shared only between sends with the same target, SNI, verification and CA. */
  static keyOf(target: SendTarget, ca?: string | string[]): string {
    const sni = target.servername ?? target.host;
    const caKey = ca ? caHash(ca) : '';
    return `${target.tls ? 'tls' : 'tcp'}|${target.host}|${target.port}|${sni}|${target.verify !== false}|${caKey}`;
  }

  /** An idle, still-open connection to this key, removed from the pool; or undefined. */
  take(key: string): PooledConnection | undefined {
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const entry = list.pop() as IdleEntry;
      const connection = entry.connection;
      release(connection);
      const socket = connection.socket;
      if (!socket.destroyed && !socket.readableEnded && socket.writable) return connection;
      socket.destroy();
    }
    return undefined;
  }

  put(key: string, connection: PooledConnection): void {
    let list = this.idle.get(key);
    if (!list) {
      list = [];
      this.idle.set(key, list);
    }
    if (list.length >= this.maxIdlePerTarget) {
      connection.socket.destroy();
      return;
    }
    const entry = new IdleEntry(connection, performance.now(), this, key);
    connection.events ??= new SocketEvents(connection.socket);
    connection.events.sink = entry;
    // An idle pooled connection must not keep the process alive.
    connection.socket.unref();
    list.push(entry);
    this.armSweeper(this.idleTimeoutMs);
  }

  /** Removes an idle connection (something happened on it, or it idled too long). */
  drop(entry: IdleEntry): void {
    const list = this.idle.get(entry.key);
    const index = list ? list.indexOf(entry) : -1;
    if (index < 0) return;
    list!.splice(index, 1);
    release(entry.connection);
    entry.connection.socket.destroy();
  }

  get idleCount(): number {
    let count = 0;
    for (const list of this.idle.values()) count += list.length;
    return count;
  }

  closeAll(): void {
    for (const list of this.idle.values()) {
      for (const entry of list.splice(0)) {
        release(entry.connection);
        entry.connection.socket.destroy();
      }
    }
    this.idle.clear();
    if (this.sweeper) clearTimeout(this.sweeper);
    this.sweeper = null;
  }

  private armSweeper(inMs: number): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => this.sweep(), Math.max(1, inMs));
    this.sweeper.unref();
  }

  /** Drops connections idle for idleTimeoutMs; re-arms for the next one to expire. */
  private sweep(): void {
    this.sweeper = null;
    const at = performance.now();
    let next = Infinity;
    for (const list of this.idle.values()) {
      for (const entry of [...list]) {
        const expires = entry.idleSince + this.idleTimeoutMs;
        // Timers may fire a hair early against performance.now(): within 1 ms counts as due.
        if (expires - at < 1) this.drop(entry);
        else next = Math.min(next, expires);
      }
    }
    if (next !== Infinity) this.armSweeper(next - at);
  }
}

/** Back in use: the pool no longer listens, and the socket holds the process again. */
function release(connection: PooledConnection): void {
  if (connection.events) connection.events.sink = null;
  connection.socket.ref();
}

let lastCa: { pem: string; hash: string } | null = null;

/** The CA part of a pool key; remembered for the last PEM string seen (the same CA each send). */
function caHash(ca: string | string[]): string {
  const pem = typeof ca === 'string' ? ca : ca.join('\n');
  if (lastCa?.pem === pem) return lastCa.hash;
  const hash = createHash('sha256').update(pem).digest('hex');
  lastCa = { pem, hash };
  return hash;
}

/** The pool used when a send asks for keepAlive and the caller brought none. */
export const defaultPool = new ConnectionPool();
