/**
 * `wirelens capture` as a child process: the listening line, one line per exchange (text
 * and NDJSON), SIGTERM → exit 0, a port in use → one-line error and exit 1, and SIGKILL
 * during traffic loses no exchange that was reported complete.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../main/core/store/exchange-store';
import { startCaptureProcess, type CaptureProcess } from '../support/capture-process';
import { rawExchange, runCurl, startHttpOrigin, type HttpOrigin } from '../support/origin-server';

let origin: HttpOrigin;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wirelens-capture-'));
  dirs.push(d);
  return d;
}

const startCapture = (args: string[]): CaptureProcess => startCaptureProcess(args, 60_000);

beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    const slow = req.url?.startsWith('/slow');
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    if (slow) res.write('partial');
    else res.end(`ok ${req.url}`);
  });
});

afterAll(async () => {
  await origin?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('wirelens capture', () => {
  it("applies the data folder's limits.json (the limits chosen in Settings)", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'limits.json'), JSON.stringify({ maxHeaderCount: 20 }));
    const cap = startCapture(['--listen', '127.0.0.1:0', '--data-dir', dir, '--json']);
    const { port } = JSON.parse(await cap.line(0));
    const lines = [`GET ${origin.url}/h HTTP/1.1`, `Host: 127.0.0.1:${origin.port}`];
    lines.push('Connection: close');
    for (let i = lines.length - 1; i < 21; i++) lines.push(`X-Fill-${i}: ${i}`);
    const r = await rawExchange(port, `${lines.join('\r\n')}\r\n\r\n`, { timeoutMs: 20_000 });
    expect(r.bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 431 /);
    cap.child.kill('SIGTERM');
    expect((await cap.exit).code).toBe(0);
  });

  it('prints NDJSON listening and exchange lines, and exits 0 on SIGTERM', async () => {
    const cap = startCapture(['--listen', '127.0.0.1:0', '--data-dir', tempDir(), '--json']);
    const listening = JSON.parse(await cap.line(0));
    expect(listening).toMatchObject({ type: 'listening', host: '127.0.0.1' });
    expect(listening.port).toBeGreaterThan(0);
    const r = await runCurl([
      '-x',
      `http://127.0.0.1:${listening.port}`,
      `${origin.url}/x`,
      `${origin.url}/y`,
    ]);
    expect(r.stdout.toString()).toBe('ok /xok /y');
    const a = JSON.parse(await cap.line(1));
    const b = JSON.parse(await cap.line(2));
    expect(a).toMatchObject({
      type: 'exchange',
      method: 'GET',
      url: `${origin.url}/x`,
      status: 200,
      error: null,
      indexOnConnection: 0,
    });
    expect(Object.keys(a).sort()).toEqual(
      [
        'type',
        'id',
        'connectionId',
        'indexOnConnection',
        'method',
        'url',
        'status',
        'error',
        'requestBytes',
        'responseBytes',
        'durationMs',
      ].sort(),
    );
    expect(b).toMatchObject({
      url: `${origin.url}/y`,
      indexOnConnection: 1,
      connectionId: a.connectionId,
    });
    expect(a.responseBytes).toBeGreaterThan(0);
    cap.child.kill('SIGTERM');
    expect(await cap.exit).toEqual({ code: 0, signal: null });
  });

  it('prints text lines: the listening address, then "200 GET url size ms"', async () => {
    const cap = startCapture(['--listen', '127.0.0.1:0', '--data-dir', tempDir()]);
    const first = await cap.line(0);
    const m = /^Proxy listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(first);
    expect(m).not.toBeNull();
    await runCurl(['-x', `http://127.0.0.1:${m![1]}`, `${origin.url}/text`]);
    expect(await cap.line(1)).toMatch(
      new RegExp(`^200 GET ${origin.url}/text \\d+(\\.\\d)? k?B \\d+ ms$`),
    );
    cap.child.kill('SIGINT');
    expect((await cap.exit).code).toBe(0);
  });

  it('reports a port in use in one line and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const cap = startCapture(['--listen', `127.0.0.1:${port}`, '--data-dir', tempDir()]);
      const { code } = await cap.exit;
      expect(code).toBe(1);
      expect(cap.stderr().trim().split('\n')).toHaveLength(1);
      expect(cap.stderr()).toContain('already in use');
      expect(cap.stderr()).toContain('PROXY_PORT_IN_USE');
    } finally {
      blocker.close();
    }
  });

  it('SIGKILL during traffic loses no exchange reported complete', async () => {
    const dir = tempDir();
    const cap = startCapture(['--listen', '127.0.0.1:0', '--data-dir', dir, '--json']);
    const { port } = JSON.parse(await cap.line(0));
    // Traffic in flight at the kill: a response that never ends.
    const inflight = runCurl(['-x', `http://127.0.0.1:${port}`, `${origin.url}/slow`], {
      timeoutMs: 30_000,
    });
    const urls = Array.from({ length: 20 }, (_, i) => `${origin.url}/n${i}`);
    await runCurl(['-x', `http://127.0.0.1:${port}`, ...urls]);
    await cap.line(20);
    cap.child.kill('SIGKILL');
    await cap.exit;
    await inflight;
    const reported = cap.lines.slice(1).map((l) => JSON.parse(l));
    expect(reported.length).toBeGreaterThanOrEqual(20);
    const store = await ExchangeStore.open(dir);
    try {
      for (const r of reported) {
        const d = store.get(r.id);
        expect(d?.summary.url).toBe(r.url);
        expect(d?.summary.state).toBe('complete');
        expect(d?.summary.status).toBe(200);
      }
      // The one in flight is there too, marked as interrupted.
      const slow = store.list({}).items.find((s) => s.path === '/slow');
      expect(slow?.state).toBe('failed');
    } finally {
      await store.close();
    }
  });
});
