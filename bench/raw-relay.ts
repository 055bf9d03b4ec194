/**
 * The physical limit of a Node HTTP proxy, for comparison: read the first request head,
 * take the absolute-form target, rewrite the request line to origin-form, then pipe
 * bytes both ways with no parsing, no recording and no keep-alive bookkeeping (every
 * later request on the connection goes to the same origin). Not a usable proxy.
 *   node main/headless/bin/run-ts.mjs bench/raw-relay.ts   → prints {"port":N}
 */
import net from 'node:net';

const TARGET = /^([A-Z]+) http:\/\/([^/:]+):(\d+)(\/[^ ]*) (HTTP\/1\.[01])\r\n/;

export function startRawRelay(port = 0): Promise<net.Server> {
  const server = net.createServer({ noDelay: true }, (client) => {
    let head = Buffer.alloc(0);
    client.on('error', () => undefined);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const lineEnd = head.indexOf('\r\n');
      if (lineEnd < 0) return;
      client.removeListener('data', onData);
      client.pause();
      const m = TARGET.exec(head.subarray(0, lineEnd + 2).toString('latin1'));
      if (!m) return void client.destroy();
      const upstream = net.connect({ host: m[2], port: Number(m[3]), noDelay: true }, () => {
        // Every later request on this connection is rewritten the same way, by a plain
        // string replace of the absolute-form prefix (enough for a benchmark client).
        const prefix = `http://${m[2]}:${m[3]}`;
        const rewrite = (b: Buffer): Buffer =>
          b.includes(prefix)
            ? Buffer.from(b.toString('latin1').split(` ${prefix}/`).join(' /'), 'latin1')
            : b;
        upstream.write(rewrite(head));
        client.on('data', (c: Buffer) => {
          if (!upstream.write(rewrite(c))) client.pause();
        });
        upstream.on('drain', () => client.resume());
        upstream.on('data', (c: Buffer) => {
          if (!client.write(c)) upstream.pause();
        });
        client.on('drain', () => upstream.resume());
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    };
    client.on('data', onData);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1]?.endsWith('raw-relay.ts')) {
  void startRawRelay().then((s) => {
    process.stdout.write(JSON.stringify({ port: (s.address() as net.AddressInfo).port }) + '\n');
  });
}
