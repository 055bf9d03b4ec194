/**
 * Wiring for HTTPS interception: loads (or creates) the CA from the data folder, prepares
 * the leaf certificates, and returns the hook to pass as `ProxyServer`'s `onConnect`.
 * Used by `wirelens capture`, `wirelens browser` and the inspector service.
 */
import { serveHttpConnection } from '../proxy/http-connection';
import { type CertificateAuthority, loadOrCreateCa } from './ca-store';
import { type ConnectHandler, createInterceptor, type InterceptSettings } from './intercept';
import { LeafCertificates } from './leaf-certificates';

export interface HttpsInterception {
  ca: CertificateAuthority;
  leaves: LeafCertificates;
  onConnect: ConnectHandler;
}

export async function createHttpsInterception(
  dataDir: string,
  settings: InterceptSettings = {},
): Promise<HttpsInterception> {
  const ca = await loadOrCreateCa(dataDir);
  const leaves = await LeafCertificates.create(ca);
  // Sign one leaf now: it warms up the signing path, so the first real host name costs
  // what every later one does.
  await leaves.leafFor('localhost');
  const onConnect = createInterceptor({ leaves, settings, serveHttpConnection });
  return { ca, leaves, onConnect };
}

/** Printed whenever upstream verification is off: the user must not forget it is. */
export const INSECURE_UPSTREAM_WARNING =
  'Warning: --insecure-upstream: upstream TLS certificates are NOT verified for this run; ' +
  'anyone between Wirelens and the servers can read and change HTTPS traffic.';

/** `a.com,*.b.org` → ['a.com', '*.b.org'] (the `--no-intercept` flag's value). */
export function parseHostList(value: string): string[] {
  return value
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host.length > 0);
}
