/**
 * A throwaway certificate authority for local HTTPS origins in tests: makes server
 * certificates for names and IPs (optionally expired), and starts HTTPS servers on
 * 127.0.0.1:0. The CA certificate is written to a temp file so child processes can trust
 * it with NODE_EXTRA_CA_CERTS and curl with --cacert. Not the Wirelens CA.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomSerial } from '../../main/core/tls/ca-store';
import { EC_P256, privateKeyToPem, subtle, x509 } from '../../main/core/tls/x509-setup';
import type { CryptoKey } from '../../main/core/tls/x509-setup';

const DAY_MS = 86_400_000;

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  /** DNS names and/or IP literals for the subjectAltName. */
  hosts: string[];
  /** Make a certificate that expired yesterday. */
  expired?: boolean;
}

export interface TestCa {
  certPem: string;
  /** A file holding `certPem` (for NODE_EXTRA_CA_CERTS, curl --cacert). */
  certPath: string;
  issue(options: IssueOptions): Promise<ServerCertificate>;
  /** Removes the temp folder. */
  dispose(): void;
}

export async function createTestCa(name = 'Wirelens Test Origin CA'): Promise<TestCa> {
  const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [name] }],
    keys,
    signingAlgorithm: EC_P256,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelens-test-ca-'));
  const certPem = caCert.toString('pem') + '\n';
  const certPath = path.join(dir, 'test-ca.pem');
  writeFileSync(certPath, certPem);
  return {
    certPem,
    certPath,
    issue: (options) => issue(caCert, keys.privateKey, options),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A self-signed server certificate (trusted by nobody): for "untrusted upstream" tests. */
export async function selfSignedCertificate(hosts: string[]): Promise<ServerCertificate> {
  const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [hosts[0] ?? 'self-signed'] }],
    keys,
    signingAlgorithm: EC_P256,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + DAY_MS),
    extensions: [new x509.SubjectAlternativeNameExtension(altNames(hosts))],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

async function issue(
  caCert: x509.X509Certificate,
  caKey: CryptoKey,
  options: IssueOptions,
): Promise<ServerCertificate> {
  const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [options.hosts[0] ?? 'test'] }],
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: EC_P256,
    notBefore: new Date(now - (options.expired ? 10 : 1) * DAY_MS),
    notAfter: new Date(now + (options.expired ? -1 : 10) * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames(options.hosts)),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

function altNames(hosts: string[]): x509.JsonGeneralName[] {
  return hosts.map((host) =>
    isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host },
  );
}

export interface HttpsOrigin {
  port: number;
  /** Request lines (`GET /path HTTP/1.1`) in arrival order, with the Host header. */
  requests: Array<{ method: string; url: string; host: string; body: string }>;
  close(): Promise<void>;
}

export type OriginHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) => void;

/** An HTTPS server on 127.0.0.1:0; the default handler echoes method, path and body. */
export async function startHttpsOrigin(
  certificate: ServerCertificate,
  handler: OriginHandler = echoHandler,
): Promise<HttpsOrigin> {
  const requests: HttpsOrigin['requests'] = [];
  const server = https.createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          host: req.headers.host ?? '',
          body,
        });
        handler(req, res, body);
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function echoHandler(req: IncomingMessage, res: ServerResponse, body: string): void {
  const text = `origin saw ${req.method} ${req.url}${body ? ` body=${body}` : ''}\n`;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
