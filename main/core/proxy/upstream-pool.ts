/**
 * Keep-alive connections to origins, keyed by host:port:tls. A connection goes back to
 * the pool only after a response ended cleanly by its framing; idle ones close after the
 * idle timeout, and one that receives bytes or closes while idle is dropped.
 */
import type { Timings } from '../../../shared/model/exchange';
import { connectUpstream, type UpstreamConnection, type UpstreamTarget } from './upstream-connect';
import { holdUpstream, releaseParser, type UpstreamHandler } from './upstream-link';

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

/** The pool's hold on an idle connection: any event from it means "drop it". */
class IdleEntry implements UpstreamHandler {
  constructor(
    readonly conn: Lease,
    private readonly pool: UpstreamPool,
  ) {}
  /** Bytes on an idle connection mean the origin is out of sync with us: never reuse it. */
  onUpstreamData(): void {
    this.pool.evict(this);
  }
  onUpstreamDrain(): void {}
  onUpstreamEnd(): void {
    this.pool.evict(this);
  }
  upstreamGone(): void {
    this.pool.evict(this);
  }
  onStall(): void {
    this.pool.evict(this);
  }
}

export function poolKey(target: UpstreamTarget): string {
  return (target.key ??= `${target.host}:${target.port}:${target.tls ? 'tls' : 'tcp'}`);
}

export class UpstreamPool {
  private idle = new Map<string, IdleEntry[]>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  /** An idle pooled connection to `target`, taken synchronously, or null if none is left. */
  takeIdle(target: UpstreamTarget): Lease | null {
    const list = this.idle.get(poolKey(target));
    while (list && list.length > 0) {
      const conn = list.pop()!.conn;
      holdUpstream(conn.socket, null);
      if (!conn.socket.destroyed && conn.socket.writable) {
        conn.reused = true;
        return conn;
      }
    }
    return null;
  }

  async acquire(target: UpstreamTarget, mark: (name: keyof Timings) => void): Promise<Lease> {
    const idle = this.takeIdle(target);
    if (idle) return idle;
    const conn = await connectUpstream(target, {
      timeoutMs: this.options.connectTimeoutMs,
      insecure: this.options.insecure,
      mark,
    });
    // The idle timeout stays armed for the connection's whole life (in use or pooled:
    // the same limit), instead of being re-armed at every hand-over.
    conn.socket.setTimeout(this.options.idleTimeoutMs);
    return { ...conn, key: poolKey(target), reused: false };
  }

  /** Hands a connection back after a clean response (the caller stopped holding it). */
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
    releaseParser(socket);
    const entry = new IdleEntry(lease, this);
    holdUpstream(socket, entry);
    list.push(entry);
    this.idle.set(lease.key, list);
    socket.resume();
  }

  /** An idle connection closed, timed out or sent bytes nobody asked for: drop it. */
  evict(entry: IdleEntry): void {
    const l = this.idle.get(entry.conn.key);
    if (l) {
      const i = l.indexOf(entry);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.idle.delete(entry.conn.key);
    }
    holdUpstream(entry.conn.socket, null);
    entry.conn.socket.destroy();
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
        holdUpstream(entry.conn.socket, null);
        entry.conn.socket.destroy();
      }
    }
    this.idle.clear();
  }
}
