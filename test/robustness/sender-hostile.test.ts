/**
 * The sender against hostile servers: garbage, half responses, servers that never close,
 * absurd headers — seeded and reproducible. Every send resolves within its timeouts with a
 * response or a clear error (code + message), and the exchange is recorded either way.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../main/core/sender/send-request';
import { MemoryRecorder } from '../support/memory-recorder';
import { rng } from './fuzz-cases';

const SEED = Number(process.env.WIRELENS_FUZZ_SEED ?? 20261126);
const CASES = Number(process.env.WIRELENS_SENDER_FUZZ_CASES ?? 300);
const TIMEOUTS = { connectMs: 2_000, firstByteMs: 800, idleMs: 800, totalMs: 3_000 };

type Script = (socket: net.Socket) => void;
const valid = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';

/** Named hostile behaviours; the fuzz also mutates valid responses. */
const behaviours: Record<string, Script> = {
  'garbage then close': (s) => s.end(Buffer.from('\x00\xff garbage \r\n\r\n')),
  'never answers': () => undefined,
  'half a head, then silence': (s) => s.write('HTTP/1.1 200 OK\r\nContent-Len'),
  'half a body, then silence': (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc'),
  'half a body, then close': (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc'),
  'close-delimited that never closes': (s) => s.write('HTTP/1.1 200 OK\r\n\r\nstreaming…'),
  'absurd Content-Length': (s) =>
    s.end('HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999999\r\n\r\nx'),
  'huge chunk size': (s) =>
    s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx'),
  '20,000 headers': (s) =>
    s.end(`HTTP/1.1 200 OK\r\n${'X-A: b\r\n'.repeat(20_000)}Content-Length: 0\r\n\r\n`),
  'a 2 MiB header line': (s) =>
    s.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2 * 2 ** 20)}\r\nContent-Length: 0\r\n\r\n`),
  'endless 1xx': (s) => {
    const t = setInterval(
      () => (s.destroyed ? clearInterval(t) : s.write('HTTP/1.1 100 Continue\r\n\r\n')),
      50,
    );
  },
  'reset at once': (s) => s.resetAndDestroy(),
  'bare LF response': (s) => s.end('HTTP/1.1 200 OK\nContent-Length: 2\n\nok'),
};

let server: net.Server;
let port = 0;
/** Each send asks for its script by index in its path, so sends can run in parallel. */
const scripts: Script[] = [];

beforeAll(async () => {
  server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk) => {
      const index = Number(/^GET \/case\/(\d+)/.exec(chunk.toString('latin1'))?.[1]);
      scripts[index]?.(socket);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function sendAgainst(script: Script, label: string) {
  const index = scripts.push(script) - 1;
  const recorder = new MemoryRecorder();
  const started = Date.now();
  const result = await sendRequest(
    {
      raw: Buffer.from(`GET /case/${index} HTTP/1.1\r\nHost: hostile\r\n\r\n`),
      target: { host: '127.0.0.1', port, tls: false },
      options: { timeouts: TIMEOUTS },
    },
    { recorder },
  );
  const elapsed = Date.now() - started;
  // A result or a clear error, never both missing; recorded either way.
  expect(result.response !== null || result.error !== null, label).toBe(true);
  if (result.error) {
    expect(result.error.code, label).toMatch(/^[A-Z_]+$/);
    expect(result.error.message.length, label).toBeGreaterThan(5);
  }
  expect(recorder.exchanges, label).toHaveLength(1);
  expect(recorder.exchanges[0].finished, label).toBe(true);
  // Bounded by the total timeout (plus slack for a loaded machine), never a hang.
  expect(elapsed, label).toBeLessThan(TIMEOUTS.totalMs + 5_000);
  return result;
}

describe('the sender against hostile servers', () => {
  for (const [name, script] of Object.entries(behaviours)) {
    it(name, () => sendAgainst(script, name).then(() => undefined));
  }

  it(`fuzzed responses (seed ${SEED}, ${CASES} cases)`, async () => {
    const next = rng(SEED);
    const int = (n: number): number => Math.floor(next() * n);
    const cases = Array.from({ length: CASES }, (_, i) => {
      const b = Buffer.from(valid, 'latin1');
      for (let k = 0, n = 1 + int(4); k < n; k++) b[int(b.length)] = int(256);
      const cut = next() < 0.3 ? b.subarray(0, int(b.length)) : b;
      const close = next() < 0.5;
      const label = `seed ${SEED} case ${i}: ${JSON.stringify(cut.toString('latin1'))} close=${close}`;
      return { script: (s: net.Socket) => (close ? s.end(cut) : s.write(cut)), label };
    });
    for (let i = 0; i < cases.length; i += 20) {
      await Promise.all(cases.slice(i, i + 20).map((c) => sendAgainst(c.script, c.label)));
    }
  }, 600_000);
});
