/**
 * `wirelens ca`: shows the Wirelens certificate authority (creating it on first use) so
 * clients can be told to trust it: path, SHA-256 fingerprint, SPKI fingerprint.
 */
import { pickDataDir } from '../../core/data-dir';
import { loadOrCreateCa, regenerateCa } from '../../core/tls/ca-store';
import type { CertificateAuthority } from '../../core/tls/ca-store';

const USAGE = `Usage: wirelens ca [--data-dir DIR] [--pem] [--regenerate]

Prints the Wirelens CA certificate's path, SHA-256 fingerprint and SPKI fingerprint,
creating the CA on first use. Clients must trust it to let Wirelens decrypt HTTPS.
  --data-dir DIR  data folder (default: WIRELENS_DATA_DIR or the user data folder)
  --pem           print the certificate itself (PEM), e.g. \`wirelens ca --pem > wirelens.pem\`
  --regenerate    replace the CA with a new one; clients that trusted the old one must
                  trust the new one (\`wirelens browser\` does so by itself)`;

interface CaArgs {
  dataDir?: string;
  pem: boolean;
  regenerate: boolean;
}

function parseArgs(args: string[]): CaArgs | 'help' {
  const parsed: CaArgs = { pem: false, regenerate: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--pem') parsed.pem = true;
    else if (arg === '--regenerate') parsed.regenerate = true;
    else if (arg === '--data-dir' || arg.startsWith('--data-dir=')) {
      const dir = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!dir) throw new Error('--data-dir needs a folder.');
      parsed.dataDir = dir;
    } else throw new Error(`unknown option "${arg}". Run \`wirelens ca --help\`.`);
  }
  return parsed;
}

export function describeCa(ca: CertificateAuthority): string {
  return [
    `CA certificate:   ${ca.certPath}${ca.created ? '  (created now)' : ''}`,
    `Private key:      ${ca.keyPath}  (keep it private: it can impersonate any site)`,
    `SHA-256:          ${ca.sha256Fingerprint}`,
    `SPKI (base64):    ${ca.spkiFingerprint}`,
    '',
    'Trust it:',
    `  curl:      curl --cacert ${ca.certPath} -x http://127.0.0.1:8080 https://…`,
    `  Node.js:   NODE_EXTRA_CA_CERTS=${ca.certPath}`,
    `  Chromium:  --ignore-certificate-errors-spki-list=${ca.spkiFingerprint}  (\`wirelens browser\` does this)`,
  ].join('\n');
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const dataDir = pickDataDir({ dataDir: parsed.dataDir });
  let ca: CertificateAuthority;
  if (parsed.regenerate) {
    const result = await regenerateCa(dataDir);
    ca = result.ca;
    const replaced = result.replacedFingerprint
      ? `replaced the CA ${result.replacedFingerprint}`
      : 'created a new CA';
    process.stderr.write(`wirelens ca: ${replaced}. ${result.consequence}\n`);
  } else {
    ca = await loadOrCreateCa(dataDir);
  }
  for (const warning of ca.warnings) process.stderr.write(`wirelens ca: warning: ${warning}\n`);
  process.stdout.write((parsed.pem ? ca.certPem.trimEnd() : describeCa(ca)) + '\n');
  return 0;
}
