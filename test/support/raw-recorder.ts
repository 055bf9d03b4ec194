/**
 * A TCP server on 127.0.0.1:0 that records the exact bytes each client sends and answers
 * every request with an empty `200 OK`. Used to learn what real `curl` puts on the wire.
 * It knows just enough HTTP to find the end of one request (Content-Length or chunked);
 * it is test scaffolding, not a parser under test.
 */
import net from 'node:net';

export interface RawRecorder {
  port: number;
  /** Resolves with the bytes of the next complete request received. */
  nextRequest(): Promise<Uint8Array>;
  close(): Promise<void>;
}

function requestEnd(buf: Buffer): number {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return -1;
  const head = buf.subarray(0, headEnd).toString('latin1');
  const bodyStart = headEnd + 4;
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) {
    const end = bodyStart + Number(cl[1]);
    return buf.length >= end ? end : -1;
  }
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    const last = buf.indexOf('\r\n0\r\n\r\n', bodyStart - 2);
    return last < 0 ? -1 : last + 7;
  }
  return bodyStart;
}

export async function startRawRecorder(): Promise<RawRecorder> {
  const done: Uint8Array[] = [];
  const waiters: Array<(b: Uint8Array) => void> = [];
  const sockets = new Set<net.Socket>();
  const deliver = (bytes: Uint8Array) => {
    const w = waiters.shift();
    if (w) w(bytes);
    else done.push(bytes);
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = requestEnd(buf);
        if (end < 0) break;
        deliver(new Uint8Array(buf.subarray(0, end)));
        buf = buf.subarray(end);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    nextRequest: () =>
      new Promise((resolve) => {
        const ready = done.shift();
        if (ready) resolve(ready);
        else waiters.push(resolve);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
