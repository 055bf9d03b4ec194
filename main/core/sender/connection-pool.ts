/**
 * Idle connections kept for the next send to the same target (`keepAlive`). Small on
 * purpose: a sender is driven by a person or a script, not by a crowd of clients.
 */
import { createHash } from 'node:crypto';
import type net from 'node:net';
import type { SendTarget } from '../../../shared/api/inspector-api';
import type { TlsDetails } from '../../../shared/model/exchange';
import type { ExchangeRecorder } from '../store/recorder-types';

export interface PooledConnection {
  socket: net.Socket;
  remoteAddress: string;
  tls?: TlsDetails;
  /** The connection's id in `recorder` (null when sends were not recorded). */
  connectionId: number | null;
  recorder?: ExchangeRecorder;
  /** Index the next exchange on this connection gets. */
  nextIndex: number;
  /** Tells `recorder` when the socket closes. */
  onClose?: () => void;
}

interface IdleEntry {
  connection: PooledConnection;
  release(): void;
}

export class ConnectionPool {
  private readonly idle = new Map<string, IdleEntry[]>();

  constructor(
    private readonly idleTimeoutMs = 30_000,
    private readonly maxIdlePerTarget = 4,
  ) {}

  /** Connections are shared only between sends with the same target, SNI, verification and CA. */
  static keyOf(target: SendTarget, ca?: string | string[]): string {
    const sni = target.servername ?? target.host;
    const caKey = ca ? createHash('sha256').update([ca].flat().join('\n')).digest('hex') : '';
    return [
      target.tls ? 'tls' : 'tcp',
      target.host,
      target.port,
      sni,
      target.verify !== false,
      caKey,
    ].join('|');
  }

  /** An idle, still-open connection to this key, removed from the pool; or undefined. */
  take(key: string): PooledConnection | undefined {
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const entry = list.pop() as IdleEntry;
      entry.release();
      const socket = entry.connection.socket;
      if (!socket.destroyed && !socket.readableEnded && socket.writable) return entry.connection;
      socket.destroy();
    }
    return undefined;
  }

  put(key: string, connection: PooledConnection): void {
    const list = this.idle.get(key) ?? [];
    this.idle.set(key, list);
    if (list.length >= this.maxIdlePerTarget) {
      connection.socket.destroy();
      return;
    }
    const socket = connection.socket;
    const drop = () => {
      const index = list.indexOf(entry);
      if (index >= 0) list.splice(index, 1);
      release();
      socket.destroy();
    };
    // Anything arriving on an idle connection (a late 408, a close) makes it unusable.
    socket.on('data', drop);
    socket.on('end', drop);
    socket.on('close', drop);
    socket.on('error', drop);
    const timer = setTimeout(drop, this.idleTimeoutMs);
    timer.unref();
    socket.unref();
    const release = () => {
      clearTimeout(timer);
      socket.off('data', drop);
      socket.off('end', drop);
      socket.off('close', drop);
      socket.off('error', drop);
      socket.ref();
    };
    const entry: IdleEntry = { connection, release };
    list.push(entry);
  }

  get idleCount(): number {
    let count = 0;
    for (const list of this.idle.values()) count += list.length;
    return count;
  }

  closeAll(): void {
    for (const list of this.idle.values()) {
      for (const entry of list.splice(0)) {
        entry.release();
        entry.connection.socket.destroy();
      }
    }
    this.idle.clear();
  }
}

/** The pool used when a send asks for keepAlive and the caller brought none. */
export const defaultPool = new ConnectionPool();
