/**
 * A bench-only traffic source for the UI benchmark: records exchanges into the running
 * store through ExchangeRecorder in-process — the interface the proxy records through —
 * so the exchanges take the real path to the UI (store → event batcher → inspector
 * service → web bridge → WebSocket → renderer) at a rate the proxy on a shared 2-core
 * machine cannot reach. Each exchange is recorded like a proxied one: connection, request
 * bytes and head, timings, response head, then body, then finish.
 */
import type { ExchangeRecorder } from '../main/core/store/recorder-types';
import { enc, messageOf } from '../test/main/core/store/message-fixtures';
import { recordLikeProxy } from './record-like-proxy';

const BODY = JSON.stringify({ ok: true, items: [1, 2, 3] });
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [
  '200 OK',
  '200 OK',
  '201 Created',
  '304 Not Modified',
  '404 Not Found',
  '500 Internal Server Error',
];

/** 600 distinct exchanges (method, path, status vary), recycled. */
const TEMPLATES = Array.from({ length: 600 }, (_, i) => {
  const method = METHODS[i % METHODS.length];
  const request = enc(
    `${method} http://api.example.test:8080/api/items/${i}?page=${i % 7} HTTP/1.1\r\n` +
      'Host: api.example.test:8080\r\nUser-Agent: Mozilla/5.0 (bench)\r\nAccept: application/json\r\n\r\n',
  );
  const response = enc(
    `HTTP/1.1 ${STATUSES[i % STATUSES.length]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${BODY.length}\r\n\r\n${BODY}`,
  );
  const headEnd = response.length - BODY.length;
  return { request, response, headEnd, mq: messageOf(request), mr: messageOf(response) };
});

const CONNECTIONS = 20;

export class BenchProducer {
  private produced = 0;
  private connections: number[] = [];

  constructor(private readonly recorder: ExchangeRecorder) {}

  /** Records one exchange the way the proxy does (no awaits: a proxied exchange's callbacks). */
  private one(): void {
    const i = this.produced++;
    const slot = i % CONNECTIONS;
    this.connections[slot] ??= this.recorder.openConnection({
      source: 'proxy',
      clientAddress: '127.0.0.1',
      clientPort: 40000 + slot,
      target: { host: 'api.example.test', port: 8080, tls: false },
      openedAt: Date.now(),
    });
    const t = TEMPLATES[i % TEMPLATES.length];
    const w = this.recorder.startExchange({
      connectionId: this.connections[slot],
      indexOnConnection: Math.floor(i / CONNECTIONS),
      source: 'proxy',
      scheme: 'http',
      host: 'api.example.test',
      port: 8080,
      timings: { start: Date.now() },
    });
    recordLikeProxy(w, t);
  }

  /** Records `count` exchanges as fast as the store takes them (yielding every 200). */
  async fill(count: number): Promise<{ exchanges: number; seconds: number }> {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      this.one();
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    return { exchanges: count, seconds: (performance.now() - started) / 1000 };
  }

  /**
   * Records `rate` exchanges per second for `seconds`, paced by the clock every 10 ms
   * (catching up when a tick came late, at most 100 ms' worth at once). Returns what was
   * achieved and the CPU this process spent doing it (producer + store + bridge).
   */
  async stream(
    rate: number,
    seconds: number,
  ): Promise<{ exchanges: number; seconds: number; cpuMs: number }> {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    let done = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        const due = Math.floor(Math.min(elapsed, seconds) * rate);
        for (let n = Math.min(due - done, rate / 10); n > 0; n--, done++) this.one();
        if (elapsed >= seconds) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    const cpu = process.cpuUsage(cpu0);
    return {
      exchanges: done,
      seconds: (performance.now() - started) / 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
}
