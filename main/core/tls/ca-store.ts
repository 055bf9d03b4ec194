/**
 * The Wirelens certificate authority: generated once per installation on first use and
 * kept in the data folder as `ca.pem` (world-readable) and `ca-key.pem` (owner-only).
 *
 * The key file is created with mode 0600 in the same `open()` call that creates it, so
 * there is no moment where it exists with wider permissions. Files are written under a
 * temporary name and then linked/renamed into place, so a crash or a second process
 * never leaves a certificate without its key.
 */
import { createHash, randomBytes, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EC_P256, privateKeyFromPem, privateKeyToPem, subtle, x509 } from './x509-setup';
import type { CryptoKey } from './x509-setup';

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

/** Long enough to never bother a user; a local root is not bound by public CA limits. */
const CA_VALIDITY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  /** SHA-256 over the DER certificate, colon-separated upper-case hex (as browsers show it). */
  sha256Fingerprint: string;
  /** base64 SHA-256 over the DER SubjectPublicKeyInfo: Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiFingerprint: string;
  /** True when this call generated the CA. */
  created: boolean;
  /** Problems noticed while loading, e.g. a key file readable by others. */
  warnings: string[];
}

export interface RegeneratedCa {
  ca: CertificateAuthority;
  /** SHA-256 fingerprint of the CA that was replaced, if there was one. */
  replacedFingerprint: string | null;
  /** What regenerating breaks, in plain words, for the caller to show. */
  consequence: string;
}

export function caPaths(dataDir: string): { certPath: string; keyPath: string } {
  return { certPath: path.join(dataDir, CA_CERT_FILE), keyPath: path.join(dataDir, CA_KEY_FILE) };
}

/** Loads the CA from `dataDir`, generating it on first use. */
export async function loadOrCreateCa(dataDir: string): Promise<CertificateAuthority> {
  const { certPath, keyPath } = caPaths(dataDir);
  const existing = await tryLoad(certPath, keyPath);
  if (existing) return existing;
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const generated = await generateCaFiles();
  const keyTmp = await writeTemp(keyPath, generated.keyPem, 0o600);
  const certTmp = await writeTemp(certPath, generated.certPem, 0o644);
  try {
    // link() fails with EEXIST instead of replacing: if another process got there first,
    // its CA wins and ours is dropped. The key goes first; the certificate marks "done".
    await fs.link(keyTmp, keyPath);
    await fs.link(certTmp, certPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitForOther(certPath, keyPath);
  } finally {
    await Promise.all([fs.rm(keyTmp, { force: true }), fs.rm(certTmp, { force: true })]);
  }
  return describe(certPath, keyPath, generated.certPem, generated.keyPem, true);
}

/**
 * Replaces the CA with a new one (new key, new serial). Everything that trusted the old
 * CA stops trusting Wirelens until it trusts the new certificate.
 */
export async function regenerateCa(dataDir: string): Promise<RegeneratedCa> {
  const { certPath, keyPath } = caPaths(dataDir);
  const previous = await tryLoad(certPath, keyPath).catch(() => null);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const generated = await generateCaFiles();
  const keyTmp = await writeTemp(keyPath, generated.keyPem, 0o600);
  const certTmp = await writeTemp(certPath, generated.certPem, 0o644);
  // rename() replaces atomically and keeps the temp file's mode (0600 for the key).
  await fs.rename(keyTmp, keyPath);
  await fs.rename(certTmp, certPath);
  const ca = await describe(certPath, keyPath, generated.certPem, generated.keyPem, true);
  return {
    ca,
    replacedFingerprint: previous?.sha256Fingerprint ?? null,
    consequence:
      'Browsers and clients that trusted the previous Wirelens CA will now reject intercepted ' +
      'HTTPS until they trust the new certificate (re-import ca.pem; `wirelens browser` picks ' +
      'up the new SPKI fingerprint by itself). Running proxies keep the old CA until restarted.',
  };
}

async function tryLoad(certPath: string, keyPath: string): Promise<CertificateAuthority | null> {
  let certPem: string;
  try {
    certPem = await fs.readFile(certPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let keyPem: string;
  try {
    keyPem = await fs.readFile(keyPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${certPath} exists but its key ${keyPath} is missing; run \`wirelens ca --regenerate\``,
      );
    }
    throw error;
  }
  return describe(certPath, keyPath, certPem, keyPem, false);
}

/** Another process is creating the CA right now: wait (bounded) for its certificate. */
async function waitForOther(certPath: string, keyPath: string): Promise<CertificateAuthority> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const loaded = await tryLoad(certPath, keyPath).catch(() => null);
    if (loaded) return loaded;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${keyPath} exists without ${certPath}; run \`wirelens ca --regenerate\``);
}

async function describe(
  certPath: string,
  keyPath: string,
  certPem: string,
  keyPem: string,
  created: boolean,
): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(certPem);
  const privateKey = await privateKeyFromPem(keyPem).catch((error: Error) => {
    throw new Error(`cannot read the CA key ${keyPath}: ${error.message}`);
  });
  const warnings: string[] = [];
  if (process.platform !== 'win32') {
    const mode = (await fs.stat(keyPath)).mode & 0o777;
    if (mode & 0o077) {
      warnings.push(
        `${keyPath} is readable by other users (mode ${mode.toString(8)}); anyone who can ` +
          'read it can impersonate any HTTPS site to clients that trust this CA',
      );
    }
  }
  return {
    certPath,
    keyPath,
    certPem,
    keyPem,
    certificate,
    privateKey,
    sha256Fingerprint: new NodeX509Certificate(certPem).fingerprint256,
    spkiFingerprint: spkiFingerprintOf(certificate),
    created,
    warnings,
  };
}

/** base64(SHA-256(DER SubjectPublicKeyInfo)). */
export function spkiFingerprintOf(certificate: x509.X509Certificate): string {
  return createHash('sha256')
    .update(new Uint8Array(certificate.publicKey.rawData))
    .digest('base64');
}

async function generateCaFiles(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  // The host name and a random tag make each installation's CA recognisable and distinct
  // in a certificate viewer; the random key and serial are what make it unique.
  const tag = randomBytes(4).toString('hex');
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=Wirelens CA ${safeName(os.hostname())} ${tag}, O=Wirelens local interception CA`,
    keys,
    signingAlgorithm: EC_P256,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: certificate.toString('pem') + '\n',
    keyPem: (await privateKeyToPem(keys.privateKey)) + '\n',
  };
}

/** 16 random bytes, high bit cleared so the DER INTEGER stays positive. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 40) || 'host';
}

async function writeTemp(finalPath: string, text: string, mode: number): Promise<string> {
  const tmp = `${finalPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}
