/**
 * One place that prepares @peculiar/x509 for Node: its dependency-injection container
 * (tsyringe) needs the Reflect metadata polyfill loaded first, and it signs through
 * WebCrypto, which Node provides as `webcrypto`.
 *
 * Why @peculiar/x509 and not node-forge: it is maintained, typed, builds certificates
 * from WebCrypto keys (so ECDSA P-256 signing runs in OpenSSL, not in JavaScript), and
 * emits standard DER/PEM that Node's `tls` loads directly. node-forge has no ECDSA
 * certificate support and does its RSA maths in JavaScript.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type CryptoKey = webcrypto.CryptoKey;

export { x509 };

/** ECDSA P-256 with SHA-256: small keys, fast signatures, accepted by Chromium and curl. */
export const EC_P256: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};

export const subtle = webcrypto.subtle;

/** PKCS#8 PEM of a private key, the form `tls.createSecureContext({ key })` reads. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function privateKeyFromPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no PEM block found in the key file');
  return subtle.importKey('pkcs8', der, EC_P256, true, ['sign']);
}
