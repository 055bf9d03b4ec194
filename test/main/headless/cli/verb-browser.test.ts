/**
 * `wirelens browser` end to end: the verb starts the proxy and a real Chromium (headless,
 * through a wrapper given as CHROMIUM_PATH), the page is fetched over intercepted HTTPS
 * from a local origin, and Ctrl-C (SIGINT) closes everything and removes the profile.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../../support/chromium';
import {
  createTestCa,
  startHttpsOrigin,
  type HttpsOrigin,
  type TestCa,
} from '../../../support/test-ca';

const BIN = path.resolve('main/headless/bin/wirelens.mjs');
let dir: string;
let testCa: TestCa;
let origin: HttpsOrigin;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-verb-browser-'));
  testCa = await createTestCa();
  origin = await startHttpsOrigin(await testCa.issue({ hosts: ['127.0.0.1'] }), (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<title>hi</title><p>through wirelens</p>');
  });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await origin?.close();
  testCa?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('wirelens browser', () => {
  it('opens Chromium through the intercepting proxy and cleans up on SIGINT', async () => {
    // Headless for this machine without a display; everything else is the verb's own launch.
    const wrapper = path.join(dir, 'chromium-headless.sh');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec "${chromiumPath()}" --headless=new --disable-gpu "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const url = `https://127.0.0.1:${origin.port}/page`;
    child = spawn(process.execPath, [BIN, 'browser', url, '--data-dir', path.join(dir, 'data')], {
      env: { ...process.env, CHROMIUM_PATH: wrapper, NODE_EXTRA_CA_CERTS: testCa.certPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const seen = (pattern: RegExp): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} in:\n${stdout}\n${stderr}`)),
          60_000,
        );
        const check = (): void => {
          const match = stdout.match(pattern);
          if (match) {
            clearTimeout(timer);
            child!.stdout!.removeListener('data', onData);
            resolve(match);
          }
        };
        const onData = (chunk: Buffer): void => {
          stdout += chunk.toString();
          check();
        };
        child!.stdout!.on('data', onData);
        check();
      });
    await seen(/^Proxy listening on http:\/\/127\.0\.0\.1:\d+$/m);
    const [, profileDir] = await seen(/temporary profile (\S+)/);
    expect(existsSync(profileDir)).toBe(true);
    await seen(new RegExp(`^200 GET ${url.replace(/[.?]/g, '\\$&')} `, 'm'));
    expect(origin.requests.some((r) => r.url === '/page')).toBe(true);

    const exitCode = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exitCode).toBe(0);
    expect(existsSync(profileDir)).toBe(false);
  }, 120_000);
});
