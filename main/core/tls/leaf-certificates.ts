/**
 * Leaf certificates for intercepted hosts, signed by the Wirelens CA.
 *
 * One key pair is shared by every leaf, so a new host name costs one ECDSA signature,
 * not a key generation; the certificate bytes are assembled directly (./leaf-der.ts).
 * Certificates and their ready-to-use TLS contexts are cached per host in a bounded LRU;
 * concurrent first requests for the same host share one signing operation.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { CertificateSummary } from '../../../shared/model/exchange';
import type { CertificateAuthority } from './ca-store';
import { randomSerial } from './ca-store';
import { LruCache } from './lru-cache';
import { buildLeafDer, derToPem, readCaIdentity } from './leaf-der';
import { x509 } from './x509-setup';

interface Issuer {
  subjectName: Uint8Array;
  keyId: Uint8Array;
  key: KeyObject;
}

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
    private readonly issuer: Issuer,
    private readonly leafSpki: Uint8Array,
    private readonly leafKeyPem: string,
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
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ski = ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    const keyId =
      ski ?? (await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey)).keyId;
    const issuer: Issuer = {
      subjectName: readCaIdentity(new Uint8Array(ca.certificate.rawData)).subjectName,
      keyId: Buffer.from(keyId ?? '', 'hex'),
      key: createPrivateKey(ca.keyPem),
    };
    return new LeafCertificates(
      ca,
      issuer,
      publicKey.export({ type: 'spki', format: 'der' }),
      // SEC1 PEM: OpenSSL decodes it faster than PKCS#8, and it is parsed once per host.
      privateKey.export({ type: 'sec1', format: 'pem' }) as string,
      options,
    );
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
    const certPem = derToPem(
      buildLeafDer({
        host,
        serial: Buffer.from(randomSerial(), 'hex'),
        notBefore,
        notAfter,
        issuerName: this.issuer.subjectName,
        authorityKeyId: this.issuer.keyId,
        leafSpki: this.leafSpki,
        caKey: this.issuer.key,
      }),
    );
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
        subject: host.length <= 64 ? `CN=${host}` : '',
        issuer: this.ca.certificate.subject,
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
