import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../../../main/core/tls/ca-store';
import { loadOrCreateCa } from '../../../../main/core/tls/ca-store';
import {
  isValidCertificateHost,
  LeafCertificates,
  normalizeHost,
} from '../../../../main/core/tls/leaf-certificates';

let dir: string;
let ca: CertificateAuthority;
let leaves: LeafCertificates;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-leaf-'));
  ca = await loadOrCreateCa(dir);
  leaves = await LeafCertificates.create(ca, { capacity: 3 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TLS server on 127.0.0.1 that serves the leaf for whatever SNI the client sends. */
async function withLeafServer<T>(fn: (port: number) => Promise<T>): Promise<T> {
  const fallback = await leaves.secureContextFor('127.0.0.1');
  // The same construction the interceptor uses: a server-side TLSSocket over a plain socket,
  // with the IP leaf as the default when the client sends no SNI.
  const server = net.createServer((raw) => {
    const socket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: fallback,
      SNICallback: (name, cb) => leaves.secureContextFor(name).then((c) => cb(null, c), cb),
    });
    socket.on('secure', () => socket.end('hello'));
    socket.on('error', () => raw.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await fn((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

function connect(port: number, servername?: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: ca.certPem }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

describe('LeafCertificates', () => {
  it('issues a leaf with a DNS subjectAltName, signed by the CA, valid for ~30 days', async () => {
    const leaf = await leaves.leafFor('Site-A.Test.');
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subjectAltName).toBe('DNS:site-a.test');
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    expect(from).toBeLessThan(Date.now() - 30 * 60 * 1000);
    expect((to - from) / 86_400_000).toBeGreaterThan(29);
    expect((to - from) / 86_400_000).toBeLessThan(32);
  });

  it('issues IP subjectAltNames for IPv4 and IPv6 literals', async () => {
    expect(new X509Certificate((await leaves.leafFor('127.0.0.1')).certPem).subjectAltName).toBe(
      'IP Address:127.0.0.1',
    );
    expect(new X509Certificate((await leaves.leafFor('[::1]')).certPem).subjectAltName).toBe(
      'IP Address:0:0:0:0:0:0:0:1',
    );
  });

  it('shares one key pair and caches per host (one signing for concurrent requests)', async () => {
    const [a, b] = await Promise.all([leaves.leafFor('x.test'), leaves.leafFor('X.TEST')]);
    expect(a).toBe(b);
    const other = await leaves.leafFor('y.test');
    const keyOf = (pem: string) =>
      new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
    expect(keyOf(other.certPem)).toBe(keyOf(a.certPem));
    expect(other.certPem).not.toBe(a.certPem);
  });

  it('evicts the least recently used host beyond its capacity', async () => {
    const first = await leaves.leafFor('one.test');
    await leaves.leafFor('two.test');
    await leaves.leafFor('three.test');
    await leaves.leafFor('four.test');
    expect(await leaves.leafFor('one.test')).not.toBe(first);
  });

  it('refuses names that are not host names', async () => {
    await expect(leaves.leafFor('bad name')).rejects.toThrow(/not a host name/);
    expect(isValidCertificateHost('a..b')).toBe(false);
    expect(isValidCertificateHost('xn--bcher-kva.example')).toBe(true);
    expect(normalizeHost('[::1]')).toBe('::1');
  });

  it('is accepted by a Node TLS client that trusts only the CA (by name and by IP)', async () => {
    await withLeafServer(async (port) => {
      const byName = await connect(port, 'site-b.test');
      expect(byName.authorized).toBe(true);
      expect(byName.getPeerCertificate().subjectaltname).toBe('DNS:site-b.test');
      byName.destroy();
      const byIp = await connect(port);
      expect(byIp.authorized).toBe(true);
      byIp.destroy();
    });
  });

  it('is accepted by curl with --cacert (and rejected without it)', async () => {
    await withLeafServer(async (port) => {
      const run = (args: string[]) =>
        new Promise<{ code: number; stdout: string }>((resolve) => {
          execFile('curl', ['-sS', '--max-time', '20', ...args], (error, stdout) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
          );
        });
      const ok = await run([
        '--cacert',
        ca.certPath,
        '--resolve',
        `curl.test:${port}:127.0.0.1`,
        `https://curl.test:${port}/`,
      ]);
      // The server answers with a bare "hello" (not HTTP); curl reports that after the
      // handshake succeeded, which is all this test is about.
      expect(ok.code).not.toBe(60);
      expect(ok.code).not.toBe(35);
      const untrusted = await run([
        '--resolve',
        `curl.test:${port}:127.0.0.1`,
        `https://curl.test:${port}/`,
      ]);
      expect(untrusted.code).toBe(60);
    });
  });
});
