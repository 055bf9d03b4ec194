/**
 * The sender's listeners on one connection, attached once for the socket's life and
 * routed to whoever uses the connection now: the send in flight, the idle pool, or nobody.
 * Attaching and removing four listeners per send (and four more per pooling) was a
 * measurable share of a kept-alive send.
 */
import type net from 'node:net';

export interface SocketEventSink {
  data(chunk: Buffer): void;
  end(): void;
  error(err: Error): void;
  close(): void;
}

export class SocketEvents {
  /** Who hears the socket now; events with no sink are dropped (the socket is idle or done). */
  sink: SocketEventSink | null = null;
  /** Called once when the socket closes (the recorder's connection record), whoever the sink. */
  onClosed: (() => void) | null = null;

  constructor(readonly socket: net.Socket) {
    socket.on('data', this.handleData);
    socket.on('end', this.handleEnd);
    socket.on('error', this.handleError);
    socket.on('close', this.handleClose);
  }

  private readonly handleData = (chunk: Buffer): void => this.sink?.data(chunk);
  private readonly handleEnd = (): void => this.sink?.end();
  private readonly handleError = (err: Error): void => this.sink?.error(err);
  private readonly handleClose = (): void => {
    const closed = this.onClosed;
    this.onClosed = null;
    closed?.();
    this.sink?.close();
  };
}
