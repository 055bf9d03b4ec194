/**
 * Changing the limits through the contract (the Settings dialog's path): checked, applied
 * by restarting a listening proxy on the same address, and kept in limits.json for the
 * next run on the same data folder — real service, real proxy, raw sockets on loopback.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InspectorService } from '../../../main/core/inspector-service';
import { DEFAULT_LIMITS } from '../../../main/core/limits';
import { LIMITS_FILE, loadLimits, saveLimits } from '../../../main/core/limits-file';
import { rawExchange, startHttpOrigin, type HttpOrigin } from '../../support/origin-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wirelens-limits-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function service(dataDir: string): Promise<InspectorService> {
  const s = await InspectorService.create({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    proxy: { interceptHttps: false },
  });
  cleanups.push(() => s.close());
  return s;
}

async function origin(): Promise<HttpOrigin> {
  const o = await startHttpOrigin((_req, res) => res.end('ok'));
  cleanups.push(() => o.close());
  return o;
}

/** A request through the proxy with `fields` header fields in all. */
function requestWithFields(o: HttpOrigin, fields: number): string {
  const lines = [`GET ${o.url}/ HTTP/1.1`, `Host: 127.0.0.1:${o.port}`, 'Connection: close'];
  for (let i = lines.length - 1; i < fields; i++) lines.push(`X-Fill-${i}: ${i}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function statusOf(bytes: Buffer): string {
  return bytes.toString('latin1').split('\r\n')[0];
}

describe('setLimits', () => {
  it('restarts the proxy on the same address with the new limits', async () => {
    const o = await origin();
    const s = await service(await tempDir());
    const before = (await s.getProxyStatus()).address!;
    const ok = await rawExchange(before.port, requestWithFields(o, 40), { timeoutMs: 10_000 });
    expect(statusOf(ok.bytes)).toBe('HTTP/1.1 200 OK');

    const limits = await s.setLimits({ maxHeaderCount: 30 });
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxHeaderCount: 30 });
    const after = await s.getProxyStatus();
    expect(after.state).toBe('listening');
    expect(after.address).toEqual(before);

    const refused = await rawExchange(before.port, requestWithFields(o, 31), { timeoutMs: 10_000 });
    expect(statusOf(refused.bytes)).toMatch(/^HTTP\/1\.1 431 /);
    const fits = await rawExchange(before.port, requestWithFields(o, 30), { timeoutMs: 10_000 });
    expect(statusOf(fits.bytes)).toBe('HTTP/1.1 200 OK');
  });

  it('keeps the limits for the next run on the same data folder, owner-only', async () => {
    const dir = await tempDir();
    const first = await service(dir);
    await first.setLimits({ headTimeoutMs: 5000 });
    await first.close();
    expect((await stat(join(dir, LIMITS_FILE))).mode & 0o777).toBe(0o600);
    const second = await service(dir);
    expect((await second.getLimits()).headTimeoutMs).toBe(5000);
    expect(second.startupWarnings).toEqual([]);
  });

  it('refuses unknown names and values out of range, naming them, and changes nothing', async () => {
    const s = await service(await tempDir());
    await expect(s.setLimits({ maxHeadBytes: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('maxHeadBytes must be a whole number from 1024'),
    });
    await expect(s.setLimits({ nope: 1 } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('unknown limit "nope"'),
    });
    await expect(s.setLimits({ maxConnections: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await s.getLimits()).toEqual(DEFAULT_LIMITS);
  });
});

describe('limits.json', () => {
  it('is absent by default and then holds only what differs from the defaults', async () => {
    const dir = await tempDir();
    expect(loadLimits(dir)).toEqual({ limits: DEFAULT_LIMITS });
    saveLimits(dir, { ...DEFAULT_LIMITS, maxConnections: 10 });
    expect(loadLimits(dir).limits).toEqual({ ...DEFAULT_LIMITS, maxConnections: 10 });
  });

  it('a damaged file gives the defaults and a warning that names it, never a failed start', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LIMITS_FILE), '{"maxHeadBytes": -1');
    expect(loadLimits(dir).warning).toMatch(/limits\.json could not be used/);
    await writeFile(join(dir, LIMITS_FILE), '{"maxHeadBytes": 5}');
    const loaded = loadLimits(dir);
    expect(loaded.limits).toEqual(DEFAULT_LIMITS);
    expect(loaded.warning).toMatch(/maxHeadBytes must be a whole number/);
    const s = await service(dir);
    expect(s.startupWarnings[0]).toMatch(/default limits apply/);
    expect((await s.getProxyStatus()).state).toBe('listening');
  });
});
