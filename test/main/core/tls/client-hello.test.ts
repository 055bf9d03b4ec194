import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { peekClientHello } from '../../../../main/core/tls/client-hello';

/** The first bytes a real Node TLS client sends (a real ClientHello, not a hand-made one). */
async function captureClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  let resolveBytes: (b: Buffer) => void = () => undefined;
  const got = new Promise<Buffer>((resolve) => (resolveBytes = resolve));
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (peekClientHello(all).kind !== 'need-more' || all.length > 100_000) {
        resolveBytes(all);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = tls.connect({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    ...options,
  });
  client.on('error', () => undefined);
  try {
    return await got;
  } finally {
    client.destroy();
    server.close();
  }
}

describe('peekClientHello', () => {
  it('reads SNI and ALPN from a real ClientHello', async () => {
    const hello = await captureClientHello({
      servername: 'site-a.test',
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    expect(peekClientHello(hello)).toEqual({
      kind: 'tls',
      serverName: 'site-a.test',
      alpn: ['h2', 'http/1.1'],
    });
  });

  it('has no serverName when the client sends no SNI (connect by IP)', async () => {
    const hello = await captureClientHello({});
    const peek = peekClientHello(hello);
    expect(peek.kind).toBe('tls');
    expect(peek).not.toHaveProperty('serverName');
  });

  it('asks for more bytes at every cut of a ClientHello, then decides', async () => {
    const hello = await captureClientHello({ servername: 'cut.test' });
    for (const cut of [1, 2, 3, 5, 9, 40, hello.length - 1]) {
      expect(peekClientHello(hello.subarray(0, cut))).toEqual({ kind: 'need-more' });
    }
    expect(peekClientHello(hello)).toMatchObject({ kind: 'tls', serverName: 'cut.test' });
  });

  it('joins a ClientHello split over two TLS records', async () => {
    const hello = await captureClientHello({ servername: 'split.test' });
    const body = hello.subarray(5);
    const split = 50;
    const record = (payload: Buffer) =>
      Buffer.concat([
        Buffer.from([0x16, 0x03, 0x01, payload.length >> 8, payload.length & 0xff]),
        payload,
      ]);
    const twoRecords = Buffer.concat([
      record(body.subarray(0, split)),
      record(body.subarray(split)),
    ]);
    expect(peekClientHello(twoRecords.subarray(0, 5 + split + 3))).toEqual({ kind: 'need-more' });
    expect(peekClientHello(twoRecords)).toMatchObject({ kind: 'tls', serverName: 'split.test' });
  });

  it('says not-tls for plain HTTP and other bytes', () => {
    const enc = new TextEncoder();
    expect(peekClientHello(enc.encode('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'not-tls' });
    expect(peekClientHello(enc.encode('SSH-2.0-OpenSSH'))).toEqual({ kind: 'not-tls' });
    expect(peekClientHello(new Uint8Array([0x16, 0x47]))).toEqual({ kind: 'not-tls' });
    expect(peekClientHello(new Uint8Array([]))).toEqual({ kind: 'need-more' });
  });

  it('reports a malformed hello as TLS with a problem instead of throwing', () => {
    // Handshake record claiming a ClientHello whose session-id length runs past the end.
    const body = [0x01, 0x00, 0x00, 35, 0x03, 0x03, ...new Array(32).fill(0), 0xff];
    const bytes = new Uint8Array([0x16, 0x03, 0x01, 0x00, body.length, ...body]);
    const peek = peekClientHello(bytes);
    expect(peek).toMatchObject({ kind: 'tls', problem: 'truncated ClientHello' });
    const notHello = new Uint8Array([0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00]);
    expect(peekClientHello(notHello)).toMatchObject({ kind: 'tls', problem: /not a ClientHello/ });
  });
});
