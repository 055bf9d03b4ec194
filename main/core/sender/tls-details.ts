/** What the UI shows about a TLS connection: protocol, cipher, and who the peer claims to be. */
import type tls from 'node:tls';
import type { CertificateSummary, TlsDetails } from '../../../shared/model/exchange';

export function tlsDetailsOf(socket: tls.TLSSocket, sni: string | undefined): TlsDetails {
  const details: TlsDetails = {};
  if (sni) details.sni = sni;
  const protocol = socket.getProtocol();
  if (protocol) details.protocol = protocol;
  const cipher = socket.getCipher();
  if (cipher?.name) details.cipher = cipher.name;
  if (typeof socket.alpnProtocol === 'string') details.alpn = socket.alpnProtocol;
  const cert = socket.getPeerCertificate();
  if (cert && Object.keys(cert).length > 0) details.certificate = summarize(cert);
  return details;
}

function summarize(cert: tls.PeerCertificate): CertificateSummary {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    fingerprint256: cert.fingerprint256,
  };
}

/** `CN=example.com, O=Example` — the usual one-line reading of a certificate name. */
function distinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}
