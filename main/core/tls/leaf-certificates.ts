/**
 * Leaf certificates for intercepted hosts, signed by the Wirelens CA.
 *
 * One key pair is shared by every leaf, so a new host name costs one ECDSA signature
 * (a few milliseconds), not a key generation. Certificates and their ready-to-use TLS
 * contexts are cached per host in a bounded LRU; concurrent first requests for the same
 * host share one signing operation.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { CertificateSummary } from '../../../shared/model/exchange';
import type { CertificateAuthority } from './ca-store';
import { randomSerial } from './ca-store';
import { LruCache } from './lru-cache';
import { EC_P256, privateKeyToPem, subtle, x509 } from './x509-setup';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface LeafOptions {
  /** Hosts kept in memory (default 1000). */
  capacity?: number;
  /** Validity after issuance (default 30 days); certificates are backdated 1 hour for clock skew. */
  validityDays?: number;
}

export interface Leaf {
  host: string;
  certPem: string;
  secureContext: tls.SecureContext;
  summary: CertificateSummary;
  notAfter: number;
}

export class LeafCertificates {
  private readonly cache: LruCache<string, Promise<Leaf>>;
  private readonly validityMs: number;

  private constructor(
    private readonly ca: CertificateAuthority,
    private readonly leafPublicKey: x509.PublicKey,
    private readonly leafKeyPem: string,
    private readonly authorityKeyId: x509.Extension,
    options: LeafOptions,
  ) {
    this.cache = new LruCache(options.capacity ?? 1000);
    this.validityMs = (options.validityDays ?? 30) * DAY_MS;
  }

  /** Generates the shared leaf key pair (once per process). */
  static async create(
    ca: CertificateAuthority,
    options: LeafOptions = {},
  ): Promise<LeafCertificates> {
    const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
    const publicKey = await x509.PublicKey.create(keys.publicKey);
    const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(
      ca.certificate.publicKey,
    );
    const leaves = new LeafCertificates(
      ca,
      publicKey,
      await privateKeyToPem(keys.privateKey),
      authorityKeyId,
      options,
    );
    return leaves;
  }

  /** The leaf for a host name or IP address literal (cached; re-issued shortly before expiry). */
  leafFor(host: string): Promise<Leaf> {
    const key = normalizeHost(host);
    const cached = this.cache.get(key);
    if (cached) {
      return cached.then((leaf) => (leaf.notAfter - Date.now() > DAY_MS ? leaf : this.issue(key)));
    }
    return this.issue(key);
  }

  async secureContextFor(host: string): Promise<tls.SecureContext> {
    return (await this.leafFor(host)).secureContext;
  }

  private issue(key: string): Promise<Leaf> {
    const pending = this.sign(key);
    this.cache.set(key, pending);
    // A failed signature must not poison the cache for later connections.
    pending.catch(() => this.cache.delete(key));
    return pending;
  }

  private async sign(host: string): Promise<Leaf> {
    if (!isValidCertificateHost(host)) {
      throw new Error(`cannot issue a certificate for "${host}": not a host name or IP address`);
    }
    const now = Date.now();
    const notBefore = new Date(now - HOUR_MS);
    const notAfter = new Date(now + this.validityMs);
    const ipVersion = isIP(host);
    const altName: x509.JsonGeneralName = ipVersion
      ? { type: 'ip', value: host }
      : { type: 'dns', value: host };
    // CN is capped at 64 characters by X.520; clients read the SAN anyway.
    const subject: x509.JsonName = host.length <= 64 ? [{ CN: [host] }] : [{ O: ['Wirelens'] }];
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject,
      issuer: this.ca.certificate.subject,
      publicKey: this.leafPublicKey,
      signingKey: this.ca.privateKey,
      signingAlgorithm: EC_P256,
      notBefore,
      notAfter,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([altName]),
        this.authorityKeyId,
      ],
    });
    const certPem = certificate.toString('pem');
    // Serve the CA after the leaf so clients can build the chain (and Chromium can match
    // the CA's SPKI against --ignore-certificate-errors-spki-list).
    const secureContext = tls.createSecureContext({
      key: this.leafKeyPem,
      cert: certPem + '\n' + this.ca.certPem,
    });
    return {
      host,
      certPem,
      secureContext,
      notAfter: notAfter.getTime(),
      summary: {
        subject: certificate.subject,
        issuer: certificate.issuer,
        validFrom: notBefore.toISOString(),
        validTo: notAfter.toISOString(),
      },
    };
  }
}

/** Lower case, no trailing dot, no IPv6 brackets: one cache entry per host however it was typed. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** DNS names (letters, digits, hyphen, underscore, dots; 253 max) or IP literals. */
export function isValidCertificateHost(host: string): boolean {
  if (isIP(host)) return true;
  if (host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(label));
}
