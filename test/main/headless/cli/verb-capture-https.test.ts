/**
 * `wirelens capture` with HTTPS interception on by default: real curl trusting the
 * Wirelens CA; `--no-intercept` and `--insecure-upstream` as the issue describes them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCaptureProcess } from '../../../support/capture-process';
import {
  createTestCa,
  selfSignedCertificate,
  startHttpsOrigin,
  type HttpsOrigin,
  type TestCa,
} from '../../../support/test-ca';

// Child processes (tsx start-up), real curl: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let dir: string;
let testCa: TestCa;
let origin: HttpsOrigin;
let selfSigned: HttpsOrigin;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-capture-https-'));
  testCa = await createTestCa();
  origin = await startHttpsOrigin(await testCa.issue({ hosts: ['127.0.0.1'] }));
  selfSigned = await startHttpsOrigin(await selfSignedCertificate(['127.0.0.1']));
  // The capture child inherits this: it trusts the test origin's CA upstream.
  process.env.NODE_EXTRA_CA_CERTS = testCa.certPath;
});
afterAll(async () => {
  await Promise.all([origin?.close(), selfSigned?.close()]);
  testCa?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function curl(args: string[]): Promise<string> {
  return new Promise((resolve) =>
    execFile('curl', ['-sS', '--max-time', '30', ...args], (_error, stdout, stderr) =>
      resolve(stdout + stderr),
    ),
  );
}

async function capture(extra: string[]) {
  const proc = startCaptureProcess([
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    dir,
    '--json',
    ...extra,
  ]);
  const listening = JSON.parse(await proc.line(0)) as { port: number };
  return { proc, proxy: `http://127.0.0.1:${listening.port}` };
}

describe('wirelens capture and HTTPS', () => {
  it('intercepts by default: the exchange line shows the decrypted https request', async () => {
    const { proc, proxy } = await capture([]);
    try {
      const url = `https://127.0.0.1:${origin.port}/secret`;
      expect(await curl(['-x', proxy, '--cacert', path.join(dir, 'ca.pem'), url])).toBe(
        'origin saw GET /secret\n',
      );
      const lines = async (): Promise<
        Array<{ method: string; url: string; status: number | null }>
      > => {
        for (let n = 1; ; n++) {
          await proc.line(n);
          const parsed = proc.lines.slice(1).map((l) => JSON.parse(l));
          if (parsed.some((e) => e.method === 'GET')) return parsed;
        }
      };
      const exchanges = await lines();
      expect(exchanges).toContainEqual(
        expect.objectContaining({ method: 'GET', url, status: 200 }),
      );
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exit;
    }
  });

  it('--no-intercept relays the listed hosts blind; --insecure-upstream passes with a warning', async () => {
    const { proc, proxy } = await capture(['--no-intercept', '127.0.0.1', '--insecure-upstream']);
    try {
      expect(proc.stderr()).toMatch(
        /--insecure-upstream: upstream TLS certificates are NOT verified/,
      );
      // Blind: the client sees the origin's own certificate, so trusting the test CA is enough.
      const url = `https://127.0.0.1:${origin.port}/blind`;
      expect(await curl(['-x', proxy, '--cacert', testCa.certPath, url])).toBe(
        'origin saw GET /blind\n',
      );
      const tunnel = JSON.parse(await proc.line(1));
      expect(tunnel).toMatchObject({ method: 'CONNECT', status: 200 });
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exit;
    }
    const insecure = await capture(['--insecure-upstream']);
    try {
      const url = `https://127.0.0.1:${selfSigned.port}/untrusted-ok`;
      const body = await curl(['-x', insecure.proxy, '--cacert', path.join(dir, 'ca.pem'), url]);
      expect(body).toBe('origin saw GET /untrusted-ok\n');
    } finally {
      insecure.proc.child.kill('SIGTERM');
      await insecure.proc.exit;
    }
  });
});
