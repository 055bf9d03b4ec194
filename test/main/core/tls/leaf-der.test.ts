import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateAuthority, loadOrCreateCa } from '../../../../main/core/tls/ca-store';
import { buildLeafDer, derToPem, readCaIdentity } from '../../../../main/core/tls/leaf-der';
import { x509 } from '../../../../main/core/tls/x509-setup';

let dir: string;
let ca: CertificateAuthority;
const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-leaf-der-'));
  ca = await loadOrCreateCa(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function leaf(host: string, notAfter = new Date(Date.now() + 86_400_000)): X509Certificate {
  const der = buildLeafDer({
    host,
    serial: Buffer.from('01020304', 'hex'),
    notBefore: new Date('2026-01-02T03:04:05Z'),
    notAfter,
    issuerName: readCaIdentity(new Uint8Array(ca.certificate.rawData)).subjectName,
    authorityKeyId: caKeyId(),
    leafSpki: leafKey.publicKey.export({ type: 'spki', format: 'der' }),
    caKey: createPrivateKey(ca.keyPem),
  });
  return new X509Certificate(derToPem(der));
}

function caKeyId(): Buffer {
  return Buffer.from(ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, 'hex');
}

/** openssl's own reading of the certificate: an independent decoder of our DER. */
function opensslText(cert: X509Certificate): string {
  const file = path.join(dir, 'leaf.pem');
  writeFileSync(file, cert.toString());
  return execFileSync('openssl', ['x509', '-noout', '-text', '-in', file], { encoding: 'utf8' });
}

describe('buildLeafDer', () => {
  it('encodes a v3 leaf that the CA signature verifies, with the CA subject as issuer', () => {
    const cert = leaf('site.test');
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.issuer).toBe(caCert.subject);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subject).toBe('CN=site.test');
    expect(cert.serialNumber).toBe('01020304');
    expect(cert.validFrom).toBe('Jan  2 03:04:05 2026 GMT');
  });

  it('carries the extensions a TLS server leaf needs, as openssl reads them', () => {
    const text = opensslText(leaf('site.test'));
    expect(text).toMatch(/Version: 3/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication/);
    expect(text).toMatch(/Subject Alternative Name:\s+DNS:site\.test/);
    const keyId = caKeyId().toString('hex').toUpperCase().match(/../g)!.join(':');
    expect(text).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${keyId}`));
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
  });

  it('encodes IPv4, IPv6 and IPv4-mapped IPv6 addresses as iPAddress names', () => {
    expect(leaf('10.1.2.3').subjectAltName).toBe('IP Address:10.1.2.3');
    expect(leaf('2001:db8::1').subjectAltName).toBe('IP Address:2001:DB8:0:0:0:0:0:1');
    expect(leaf('::ffff:1.2.3.4').subjectAltName).toBe('IP Address:0:0:0:0:0:FFFF:102:304');
  });

  it('leaves CN out for names longer than 64 characters and uses GeneralizedTime from 2050', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.test`;
    const cert = leaf(long, new Date('2051-06-01T00:00:00Z'));
    expect(cert.subject ?? '').toBe('');
    expect(cert.subjectAltName).toBe(`DNS:${long}`);
    expect(cert.validTo).toBe('Jun  1 00:00:00 2051 GMT');
  });
});
