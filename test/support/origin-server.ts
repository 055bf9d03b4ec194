/**
 * Local origins and raw clients for network tests (loopback only, port 0 always).
 * - `startHttpOrigin`: a node:http server with a handler (normal, well-behaved origin);
 *   `sizedDownload` is such a handler, streaming as many bytes as asked.
 * - `startRawOrigin`: a TCP server whose script sees every connection's raw bytes and
 *   answers with whatever bytes it likes (malformed, truncated, never…).
 * - `rawExchange`: a TCP client that writes bytes and collects what comes back.
 * - `runCurl`: the real curl binary, bounded in time.
 * Generic on purpose: the proxy, sender and robustness tests all use them.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

export interface Origin {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

export interface HttpOrigin extends Origin {
  server: http.Server;
  /** Remote ports of the TCP connections the origin accepted, in order. */
  connections: number[];
}

export async function startHttpOrigin(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<HttpOrigin> {
  const server = http.createServer(handler);
  const connections: number[] = [];
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    connections.push(s.remotePort ?? 0);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A handler streaming `?bytes=N` bytes of `y` in 256 KiB writes, waiting for `drain`
 * (the origin side of the download memory test and bench).
 */
export function sizedDownload(): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const piece = Buffer.alloc(256 * 1024, 'y');
  return (req, res) => {
    const total = Number(new URL(req.url!, 'http://x').searchParams.get('bytes'));
    res.writeHead(200, { 'Content-Length': String(total) });
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        const n = Math.min(piece.length, total - sent);
        sent += n;
        if (!res.write(n === piece.length ? piece : piece.subarray(0, n)))
          return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
}

export interface RawConnection {
  socket: net.Socket;
  /** Everything received so far on this connection. */
  received(): Buffer;
  /** Resolves when the received bytes contain `marker` (or the connection closed). */
  waitFor(marker: string | ((received: Buffer) => boolean)): Promise<Buffer>;
}

export interface RawOrigin extends Origin {
  /** Raw bytes received per accepted connection, in accept order. */
  received: Buffer[];
}

/** A TCP origin driven by a script: `onConnection` gets each connection. */
export async function startRawOrigin(
  onConnection: (conn: RawConnection) => void | Promise<void>,
): Promise<RawOrigin> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const index = received.length;
    received.push(Buffer.alloc(0));
    const waiters: Array<() => void> = [];
    socket.on('data', (chunk) => {
      received[index] = Buffer.concat([received[index], chunk]);
      for (const w of waiters.splice(0)) w();
    });
    socket.on('close', () => {
      for (const w of waiters.splice(0)) w();
    });
    const conn: RawConnection = {
      socket,
      received: () => received[index],
      waitFor: (marker) =>
        new Promise((resolve) => {
          const test = typeof marker === 'string' ? (b: Buffer) => b.includes(marker) : marker;
          const check = (): void => {
            if (test(received[index]) || socket.destroyed) resolve(received[index]);
            else waiters.push(check);
          };
          check();
        }),
    };
    void onConnection(conn);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface RawResult {
  /** Everything the server sent back. */
  bytes: Buffer;
  text: string;
  /** The connection was closed by the peer (or errored). */
  closed: boolean;
}

/**
 * Connects to 127.0.0.1:port, writes `data` (a list = separate writes), and collects the
 * answer until the peer closes or `until` says enough. Bounded by `timeoutMs`.
 */
export function rawExchange(
  port: number,
  data: string | Buffer | Array<string | Buffer>,
  options: { until?: (received: Buffer) => boolean; timeoutMs?: number; host?: string } = {},
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host ?? '127.0.0.1', port });
    let bytes = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, text: bytes.toString('latin1'), closed });
    };
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(new Error(`rawExchange timed out; received so far:\n${bytes.toString('latin1')}`));
    }, options.timeoutMs ?? 15_000);
    socket.on('connect', () => {
      for (const part of Array.isArray(data) ? data : [data]) socket.write(part);
    });
    socket.on('data', (chunk) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (options.until?.(bytes)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** True once `received` holds `count` complete HTTP responses framed by Content-Length. */
export function hasResponses(count: number): (received: Buffer) => boolean {
  return (received) => {
    let pos = 0;
    for (let i = 0; i < count; i++) {
      const headEnd = received.indexOf('\r\n\r\n', pos);
      if (headEnd < 0) return false;
      const head = received.subarray(pos, headEnd).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      pos = headEnd + 4 + (m ? Number(m[1]) : 0);
      if (pos > received.length) return false;
    }
    return true;
  };
}

export interface CurlResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the real curl with `args`; always bounded (`--max-time` and a kill timer). */
export function runCurl(
  args: string[],
  options: { timeoutMs?: number; input?: Buffer } = {},
): Promise<CurlResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'curl',
      ['--silent', '--show-error', '--max-time', String(timeoutMs / 1000), ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.end(options.input ?? undefined);
  });
}
