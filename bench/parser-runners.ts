/**
 * The parsers under comparison, each fed the same chunks of the same stream:
 * - Wirelens' HttpParser (strict mode, as the proxy uses it);
 * - Node's own llhttp binding (`HTTPParser` from `_http_common`, the exact parser behind
 *   `http.createServer`, without the socket and IncomingMessage layers above it);
 * - Node's whole `http.createServer` stack, fed over a loopback socket pair (requests).
 */
import net from 'node:net';
import http from 'node:http';
import { createRequire } from 'node:module';
import { HttpParser } from '../shared/http/http-parser';

export interface RunResult {
  messages: number;
  bodyBytes: number;
}

export function runWirelens(kind: 'request' | 'response', chunks: Uint8Array[]): RunResult {
  let messages = 0;
  let bodyBytes = 0;
  const parser = new HttpParser(
    { kind, mode: 'strict' },
    {
      onHead(head) {
        // Touch what a consumer reads, so nothing is optimized away.
        if (head.headers.length >= 0) messages++;
      },
      onPayload(data) {
        bodyBytes += data.length;
      },
      onMessageEnd() {},
      onError(issue) {
        throw new Error(`bench corpus rejected: ${issue.code} ${issue.message}`);
      },
    },
  );
  for (const c of chunks) parser.push(c);
  return { messages, bodyBytes };
}

interface LlhttpParser {
  initialize(type: number, resource: object): void;
  execute(data: Buffer): number | Error;
  finish(): void;
  [k: number]: unknown;
}
interface LlhttpCtor {
  new (): LlhttpParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}

const require = createRequire(import.meta.url);
const { HTTPParser } = require('_http_common') as { HTTPParser: LlhttpCtor };

export function runLlhttp(kind: 'request' | 'response', chunks: Buffer[]): RunResult {
  let messages = 0;
  let bodyBytes = 0;
  const p = new HTTPParser();
  p.initialize(kind === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {});
  p[HTTPParser.kOnHeaders] = () => {};
  p[HTTPParser.kOnHeadersComplete] = (_maj: number, _min: number, headers: string[]) => {
    if (headers.length >= 0) messages++;
    return 0;
  };
  p[HTTPParser.kOnBody] = (b: Buffer) => {
    bodyBytes += b.length;
  };
  p[HTTPParser.kOnMessageComplete] = () => {};
  for (const c of chunks) {
    const r = p.execute(c);
    if (r instanceof Error) throw r;
  }
  return { messages, bodyBytes };
}

/**
 * Node's full server stack: the stream is written to a loopback socket, the server
 * counts 'request' events and answers each with an empty 204 (it must answer, or it
 * stops reading pipelined requests). Resolves when all requests arrived.
 */
export async function runNodeServer(stream: Buffer, expected: number): Promise<number> {
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const server = http.createServer((req, res) => {
    req.resume();
    if (++seen === expected) done();
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  client.resume(); // discard the 204s
  const start = performance.now();
  client.write(stream);
  await finished;
  const ms = performance.now() - start;
  client.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return ms;
}

/** The same socket set-up as runNodeServer, with Wirelens' parser reading the socket. */
export async function runWirelensServer(stream: Buffer, expected: number): Promise<number> {
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const answer = Buffer.from('HTTP/1.1 204 No Content\r\n\r\n');
  const server = net.createServer((socket) => {
    const parser = new HttpParser(
      { kind: 'request', mode: 'strict' },
      {
        onHead() {},
        onMessageEnd() {
          socket.write(answer);
          if (++seen === expected) done();
        },
        onError(issue) {
          throw new Error(issue.code);
        },
      },
    );
    socket.on('data', (d: Buffer) => parser.push(d));
    socket.on('error', () => {}); // the client resets when done
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  client.resume();
  const start = performance.now();
  client.write(stream);
  await finished;
  const ms = performance.now() - start;
  client.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return ms;
}
