import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Child processes (tsx start-up), real curl: generous bounds for a loaded 2-core machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const BIN = path.resolve('main/headless/bin/wirelens.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-verb-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wirelens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('wirelens ca', () => {
  it('creates the CA on first use and prints its path and fingerprints', async () => {
    const first = await wirelens(['ca', '--data-dir', dir]);
    expect(first.code).toBe(0);
    const certPath = path.join(dir, 'ca.pem');
    expect(first.stdout).toContain(`CA certificate:   ${certPath}  (created now)`);
    const cert = new X509Certificate(readFileSync(certPath));
    expect(first.stdout).toContain(`SHA-256:          ${cert.fingerprint256}`);
    expect(first.stdout).toMatch(/SPKI \(base64\): {4}[A-Za-z0-9+/]{43}=/);
    expect(statSync(path.join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);

    const second = await wirelens(['ca', `--data-dir=${dir}`]);
    expect(second.stdout).not.toContain('created now');
    expect(second.stdout).toContain(cert.fingerprint256);
  });

  it('--pem prints exactly the certificate', async () => {
    const result = await wirelens(['ca', '--data-dir', dir, '--pem']);
    expect(result.stdout).toBe(readFileSync(path.join(dir, 'ca.pem'), 'utf8').trimEnd() + '\n');
  });

  it('--regenerate replaces the CA and says what it breaks', async () => {
    const before = new X509Certificate(readFileSync(path.join(dir, 'ca.pem'))).fingerprint256;
    const result = await wirelens(['ca', '--data-dir', dir, '--regenerate']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`replaced the CA ${before}`);
    expect(result.stderr).toMatch(/trusted the previous Wirelens CA/);
    expect(result.stdout).not.toContain(before);
  });

  it('rejects an unknown option with exit code 1', async () => {
    const result = await wirelens(['ca', '--bogus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown option "--bogus"/);
  });
});
