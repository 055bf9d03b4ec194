/**
 * A TCP (or TLS) server on 127.0.0.1:0 that keeps every byte each client sends, and lets
 * the test script the reply: write any bytes, wait for some, end, or reset. Knows no HTTP,
 * so it can receive malformed requests exactly and send malformed responses on purpose.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface ScriptedConnection {
  readonly socket: net.Socket;
  /** Every byte received so far. */
  received(): Buffer;
  /** Resolves once the received bytes satisfy `test` (checked on each arrival). */
  waitFor(test: (bytes: Buffer) => boolean): Promise<Buffer>;
  /** Resolves once `text` (latin1) appears `times` times in the received bytes. */
  waitForText(text: string, times?: number): Promise<Buffer>;
  /** Resolves when the client closed its side or the socket closed. */
  closed: Promise<void>;
  write(data: string | Uint8Array): void;
  end(data?: string | Uint8Array): void;
  /** Sends a TCP RST. */
  reset(): void;
}

export interface ScriptedServer {
  port: number;
  connections: ScriptedConnection[];
  /** The next connection accepted (already-accepted ones are returned in order first). */
  nextConnection(): Promise<ScriptedConnection>;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  /** Serve TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Called for each connection; scripts the reply. */
  onConnection?: (connection: ScriptedConnection) => void | Promise<void>;
}

export async function startScriptedServer(
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const unclaimed: ScriptedConnection[] = [];
  const claimers: Array<(c: ScriptedConnection) => void> = [];
  const sockets = new Set<net.Socket>();
  const accept = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = wrap(socket);
    connections.push(connection);
    const claimer = claimers.shift();
    if (claimer) claimer(connection);
    else unclaimed.push(connection);
    void Promise.resolve(options.onConnection?.(connection)).catch(() => connection.reset());
  };
  const server = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, accept)
    : net.createServer(accept);
  // A failed TLS handshake (the sender rejecting our certificate) is expected in tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    nextConnection: () =>
      new Promise((resolve) => {
        const ready = unclaimed.shift();
        if (ready) resolve(ready);
        else claimers.push(resolve);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function wrap(socket: net.Socket): ScriptedConnection {
  let bytes = Buffer.alloc(0);
  const waiters: Array<{ test: (b: Buffer) => boolean; resolve: (b: Buffer) => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.test(bytes)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(bytes);
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    bytes = Buffer.concat([bytes, chunk]);
    check();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => {
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
  });
  const waitFor = (test: (b: Buffer) => boolean) =>
    new Promise<Buffer>((resolve) => {
      waiters.push({ test, resolve });
      check();
    });
  return {
    socket,
    received: () => bytes,
    waitFor,
    waitForText: (text, times = 1) =>
      waitFor((b) => b.toString('latin1').split(text).length - 1 >= times),
    closed,
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    end: (data) => {
      if (socket.destroyed) return;
      if (data === undefined) socket.end();
      else socket.end(data);
    },
    reset: () => socket.resetAndDestroy(),
  };
}
