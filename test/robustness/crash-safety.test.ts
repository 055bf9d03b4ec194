/**
 * Crash safety: SIGKILL `wirelens capture` during heavy concurrent traffic and during a
 * large body, restart on the same data folder: every exchange it reported complete is
 * there and readable byte for byte; what was in flight comes back as failed; a torn tail
 * is skipped with a warning, never a crash.
 */
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_DIR, ExchangeStore } from '../../main/core/store/exchange-store';
import { BODIES_FILE, RECORDS_FILE } from '../../main/core/store/log-format';
import { startCaptureProcess } from '../support/capture-process';
import { startHttpOrigin, type HttpOrigin } from '../support/origin-server';

let origin: HttpOrigin;
const dirs: string[] = [];
const bodyFor = (n: string): string => `body of ${n} `.repeat(200);

beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    if (req.url === '/huge') {
      // Far more than will pass before the kill; streamed with backpressure.
      res.writeHead(200, { 'Content-Length': String(2 ** 31) });
      const chunk = Buffer.alloc(256 * 1024, 0x62);
      const pump = (): void => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      pump();
      return;
    }
    res.end(bodyFor(req.url ?? ''));
  });
});
afterAll(async () => {
  await origin?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wirelens-crash-'));
  dirs.push(d);
  return d;
}

/** A keep-alive client that sends requests back to back until stopped. */
function hammer(proxyPort: number, name: string): { stop(): void } {
  const socket = net.connect(proxyPort, '127.0.0.1');
  let n = 0;
  let buffered = '';
  const sendNext = (): void => {
    if (!socket.destroyed)
      socket.write(`GET ${origin.url}/${name}-${n++} HTTP/1.1\r\nHost: x\r\n\r\n`);
  };
  socket.on('connect', sendNext);
  socket.on('data', (c) => {
    buffered += c.toString('latin1');
    // One response at a time: the head, then exactly Content-Length bytes.
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1];
      if (end < 0 || len === undefined || buffered.length < end + 4 + Number(len)) return;
      buffered = buffered.slice(end + 4 + Number(len));
      sendNext();
    }
  });
  socket.on('error', () => undefined);
  return { stop: () => socket.destroy() };
}

async function reopen(dir: string): Promise<ExchangeStore> {
  return ExchangeStore.open(dir);
}

describe('crash safety', () => {
  it('SIGKILL during heavy traffic: every exchange reported complete survives, readable', async () => {
    const dir = tempDir();
    const cap = startCaptureProcess(['--listen', '127.0.0.1:0', '--data-dir', dir, '--json']);
    const { port } = JSON.parse(await cap.line(0));
    const clients = Array.from({ length: 8 }, (_, i) => hammer(port, `c${i}`));
    await cap.line(300);
    cap.child.kill('SIGKILL');
    await cap.exit;
    for (const c of clients) c.stop();
    const reported = cap.lines.slice(1).map((l) => JSON.parse(l));
    const store = await reopen(dir);
    try {
      for (const r of reported.filter((x) => !x.error)) {
        const d = store.get(r.id);
        expect(d?.summary.state, `exchange ${r.id} ${r.url}`).toBe('complete');
        const response = Buffer.from(await store.readRaw(r.id, 'response')).toString('latin1');
        expect(response.endsWith(bodyFor(new URL(r.url).pathname))).toBe(true);
      }
      expect(store.list({}).total).toBeGreaterThanOrEqual(reported.length);
    } finally {
      await store.close();
    }
  });

  it('SIGKILL during a large body: earlier exchanges intact, the big one failed with its bytes so far', async () => {
    const dir = tempDir();
    const cap = startCaptureProcess(['--listen', '127.0.0.1:0', '--data-dir', dir, '--json']);
    const { port } = JSON.parse(await cap.line(0));
    const small = hammer(port, 'before');
    await cap.line(20);
    small.stop();
    const big = net.connect(port, '127.0.0.1', () =>
      big.write(`GET ${origin.url}/huge HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    big.resume();
    big.on('error', () => undefined);
    const bodies = path.join(dir, CAPTURE_DIR, BODIES_FILE);
    // Kill once tens of MiB of the body have been written to the log.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const size = (() => {
          try {
            return statSync(bodies).size;
          } catch {
            return 0;
          }
        })();
        if (size > 32 * 2 ** 20) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    cap.child.kill('SIGKILL');
    await cap.exit;
    big.destroy();
    const reported = cap.lines.slice(1).map((l) => JSON.parse(l));
    const store = await reopen(dir);
    try {
      // Each exchange comes back as it was reported: complete, or failed (the client we stopped).
      for (const r of reported)
        expect(store.get(r.id)?.summary.state).toBe(r.error ? 'failed' : 'complete');
      expect(reported.filter((r) => !r.error).length).toBeGreaterThanOrEqual(19);
      const huge = store.list({}).items.find((s) => s.path === '/huge');
      expect(huge?.state).toBe('failed');
      // The bytes that passed before the kill are kept (minus what was still buffered).
      const partial = await store.readRaw(huge!.id, 'response');
      expect(partial.length).toBeGreaterThan(2 ** 20);
    } finally {
      await store.close();
    }
  });

  it('a torn tail is skipped with a warning; everything before it is there', async () => {
    const dir = tempDir();
    const cap = startCaptureProcess(['--listen', '127.0.0.1:0', '--data-dir', dir, '--json']);
    const { port } = JSON.parse(await cap.line(0));
    const client = hammer(port, 'torn');
    await cap.line(30);
    cap.child.kill('SIGKILL');
    await cap.exit;
    client.stop();
    const records = path.join(dir, CAPTURE_DIR, RECORDS_FILE);
    const size = statSync(records).size;
    truncateSync(records, size - 7); // cut into the last record
    const store = await reopen(dir);
    try {
      expect(store.recoveryWarnings.join('\n')).toMatch(/torn|incomplete|skipped/i);
      const reported = cap.lines.slice(1, 21).map((l) => JSON.parse(l));
      for (const r of reported.filter((x) => !x.error))
        expect(store.get(r.id)?.summary.state).toBe('complete');
    } finally {
      await store.close();
    }
  });
});
