/**
 * Byte relays that do not look at what they carry: the blind CONNECT tunnel, and the
 * stream after a WebSocket (or other) upgrade. Both directions honour backpressure and the
 * byte counts are kept for the exchange record.
 */
import type { Duplex } from 'node:stream';

export interface RelayResult {
  bytesUp: number;
  bytesDown: number;
  /** Set when either side ended with an error rather than a clean close. */
  error?: Error;
}

export interface RelayOptions {
  /** Bytes already read from the client that belong to the tunnel (sent upstream first). */
  head?: Uint8Array;
  /** Called as bytes pass (for live counters). */
  onBytes?(bytesUp: number, bytesDown: number): void;
}

function pipeCounting(from: Duplex, to: Duplex, count: (n: number) => void): void {
  from.on('data', (chunk: Buffer) => {
    count(chunk.length);
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  // Half-close is part of the protocol for some tunnelled traffic: forward the FIN.
  from.on('end', () => to.end());
}

/**
 * Relays between two connected sockets until both sides are done. The client socket may
 * be paused with no 'data' listener (as handed over after a CONNECT); it is resumed here.
 */
export function relayTunnel(
  client: Duplex,
  upstream: Duplex,
  options: RelayOptions = {},
): Promise<RelayResult> {
  return new Promise((resolve) => {
    const result: RelayResult = { bytesUp: 0, bytesDown: 0 };
    let settled = false;
    const finish = (error?: Error): void => {
      if (error && !result.error) result.error = error;
      if (settled) return;
      settled = true;
      client.destroy();
      upstream.destroy();
      resolve(result);
    };
    if (options.head && options.head.length > 0) {
      result.bytesUp += options.head.length;
      upstream.write(options.head);
    }
    pipeCounting(client, upstream, (n) => {
      result.bytesUp += n;
      options.onBytes?.(result.bytesUp, result.bytesDown);
    });
    pipeCounting(upstream, client, (n) => {
      result.bytesDown += n;
      options.onBytes?.(result.bytesUp, result.bytesDown);
    });
    client.on('error', finish);
    upstream.on('error', finish);
    client.on('close', () => finish());
    upstream.on('close', () => finish());
    client.resume();
    upstream.resume();
  });
}
