/**
 * Keep-alive connections to origins, keyed by host:port:tls. A connection goes back to
 * the pool only after a response ended cleanly by its framing; idle ones close after the
 * idle timeout, and one that receives bytes or closes while idle is dropped.
 */
import type { Timings } from '../../../shared/model/exchange';
import { connectUpstream, type UpstreamConnection, type UpstreamTarget } from './upstream-connect';

export interface PoolOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  insecure: boolean;
  /** Idle connections kept per key. */
  maxIdlePerKey?: number;
}

export interface Lease extends UpstreamConnection {
  key: string;
  /** Taken from the pool (it may have been closed by the origin in the meantime). */
  reused: boolean;
}

interface IdleEntry {
  conn: UpstreamConnection;
  drop: () => void;
}

export function poolKey(target: UpstreamTarget): string {
  return `${target.host}:${target.port}:${target.tls ? 'tls' : 'tcp'}`;
}

export class UpstreamPool {
  private idle = new Map<string, IdleEntry[]>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  async acquire(target: UpstreamTarget, mark: (name: keyof Timings) => void): Promise<Lease> {
    const key = poolKey(target);
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const entry = list.pop()!;
      entry.drop();
      if (!entry.conn.socket.destroyed && entry.conn.socket.writable) {
        return { ...entry.conn, key, reused: true };
      }
    }
    const conn = await connectUpstream(target, {
      timeoutMs: this.options.connectTimeoutMs,
      insecure: this.options.insecure,
      mark,
    });
    return { ...conn, key, reused: false };
  }

  /** Hands a connection back after a clean response; the caller removed its listeners. */
  release(lease: Lease): void {
    const socket = lease.socket;
    if (this.closed || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const list = this.idle.get(lease.key) ?? [];
    if (list.length >= (this.options.maxIdlePerKey ?? 256)) {
      socket.destroy();
      return;
    }
    const entry: IdleEntry = { conn: lease, drop: () => undefined };
    const remove = (): void => {
      entry.drop();
      const l = this.idle.get(lease.key);
      if (l) {
        const i = l.indexOf(entry);
        if (i >= 0) l.splice(i, 1);
        if (l.length === 0) this.idle.delete(lease.key);
      }
      socket.destroy();
    };
    // Bytes on an idle connection mean the origin is out of sync with us: never reuse it.
    const onData = (): void => remove();
    socket.on('data', onData);
    socket.on('close', remove);
    socket.on('end', remove);
    socket.on('error', remove);
    // A listener, not setTimeout's callback argument: that one cannot be removed and
    // would later close the socket while it serves another exchange.
    socket.on('timeout', remove);
    socket.setTimeout(this.options.idleTimeoutMs);
    entry.drop = (): void => {
      socket.removeListener('data', onData);
      socket.removeListener('close', remove);
      socket.removeListener('end', remove);
      socket.removeListener('error', remove);
      socket.removeListener('timeout', remove);
      socket.setTimeout(0);
    };
    list.push(entry);
    this.idle.set(lease.key, list);
    socket.resume();
  }

  get idleCount(): number {
    let n = 0;
    for (const l of this.idle.values()) n += l.length;
    return n;
  }

  closeAll(): void {
    this.closed = true;
    for (const list of this.idle.values()) {
      for (const entry of list) {
        entry.drop();
        entry.conn.socket.destroy();
      }
    }
    this.idle.clear();
  }
}
