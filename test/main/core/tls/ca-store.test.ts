import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateCa, regenerateCa } from '../../../../main/core/tls/ca-store';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-ca-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateCa', () => {
  it('creates ca.pem and an owner-only ca-key.pem on first use, then reuses them', async () => {
    const dir = tempDir();
    const first = await loadOrCreateCa(path.join(dir, 'nested'));
    expect(first.created).toBe(true);
    expect(first.warnings).toEqual([]);
    expect(statSync(first.keyPath).mode & 0o777).toBe(0o600);
    expect(path.basename(first.certPath)).toBe('ca.pem');
    expect(path.basename(first.keyPath)).toBe('ca-key.pem');

    const again = await loadOrCreateCa(path.join(dir, 'nested'));
    expect(again.created).toBe(false);
    expect(again.sha256Fingerprint).toBe(first.sha256Fingerprint);
  });

  it('is a real CA certificate whose fingerprints match what openssl computes', async () => {
    const ca = await loadOrCreateCa(tempDir());
    const nodeCert = new X509Certificate(ca.certPem);
    expect(nodeCert.ca).toBe(true);
    expect(nodeCert.checkIssued(nodeCert)).toBe(true);
    expect(ca.sha256Fingerprint).toBe(nodeCert.fingerprint256);
    const spkiDer = nodeCert.publicKey.export({ type: 'spki', format: 'der' });
    const { createHash } = await import('node:crypto');
    expect(ca.spkiFingerprint).toBe(createHash('sha256').update(spkiDer).digest('base64'));
    // Independent check with the openssl command line, the recipe Chromium's docs give.
    const opensslSpki = execFileSync(
      'sh',
      [
        '-c',
        'openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64',
        'sh',
        ca.certPath,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(ca.spkiFingerprint).toBe(opensslSpki);
  });

  it('never produces the same CA twice', async () => {
    const a = await loadOrCreateCa(tempDir());
    const b = await loadOrCreateCa(tempDir());
    expect(a.spkiFingerprint).not.toBe(b.spkiFingerprint);
    expect(a.certificate.serialNumber).not.toBe(b.certificate.serialNumber);
  });

  it('two concurrent first uses end up with one CA', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
    expect(a.sha256Fingerprint).toBe(b.sha256Fingerprint);
  });

  it('reports a key file readable by others and a missing key', async () => {
    const dir = tempDir();
    const ca = await loadOrCreateCa(dir);
    const { chmodSync, unlinkSync } = await import('node:fs');
    chmodSync(ca.keyPath, 0o644);
    const loaded = await loadOrCreateCa(dir);
    expect(loaded.warnings.join()).toMatch(/readable by other users/);
    unlinkSync(ca.keyPath);
    await expect(loadOrCreateCa(dir)).rejects.toThrow(/key .* is missing/);
  });
});

describe('regenerateCa', () => {
  it('replaces the CA, keeps the key owner-only and says what it breaks', async () => {
    const dir = tempDir();
    const old = await loadOrCreateCa(dir);
    const result = await regenerateCa(dir);
    expect(result.replacedFingerprint).toBe(old.sha256Fingerprint);
    expect(result.ca.sha256Fingerprint).not.toBe(old.sha256Fingerprint);
    expect(result.consequence).toMatch(/trusted the previous Wirelens CA/);
    expect(statSync(result.ca.keyPath).mode & 0o777).toBe(0o600);
    const reloaded = await loadOrCreateCa(dir);
    expect(reloaded.sha256Fingerprint).toBe(result.ca.sha256Fingerprint);
  });
});
