/**
 * What an exchange needs from the client connection it came on: write back, stop and
 * restart reading (backpressure, pipelining), and say when it is done.
 */
import type { Duplex } from 'node:stream';

export interface ClientSide {
  readonly socket: Duplex;
  /** Writes to the client; false = the caller should wait for `socket`'s 'drain'. */
  write(bytes: Uint8Array): boolean;
  /** Stop reading from the client for `reason` (reasons stack). */
  pause(reason: string): void;
  resume(reason: string): void;
  /**
   * The exchange is over. `keepAlive` false closes the client connection (after what was
   * written is flushed); true lets the next request be read.
   */
  done(keepAlive: boolean): void;
  /** Abort the client connection at once (a response was cut short). */
  destroy(): void;
  /** The upstream actually used, for the connection record. */
  noteUpstream(target: { host: string; port: number; tls: boolean }, remoteAddress: string): void;
}

/** The part of an exchange the client connection drives. */
export interface ExchangeDriver {
  requestBody(raw: Uint8Array): void;
  requestEnd(wireBodyLength: number, trailers: Array<[string, string]>): void;
  /** Bytes after an upgrade request head (the client's side of the tunnel). */
  tunnelUp(data: Uint8Array): void;
  /** The request body could not be parsed (head already forwarded). */
  clientBodyError(message: string, rest: Uint8Array): void;
  clientClosed(): void;
  /** The proxy is stopping: give up now. */
  abort(reason: string): void;
}
