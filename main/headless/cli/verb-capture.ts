/**
 * `wirelens capture`: the capture proxy in the terminal (like mitmdump). Prints where it
 * listens, then one line per finished exchange (text, or NDJSON with --json). Every
 * exchange is also appended to the store in the data folder, so nothing printed is lost
 * when the terminal goes away. SIGINT/SIGTERM stop it cleanly with exit code 0.
 */
import type { FinishedExchange } from '../../core/proxy/exchange-record';
import { loadLimits } from '../../core/limits-file';
import { ProxyServer } from '../../core/proxy/proxy-server';
import { splitAuthority } from '../../core/proxy/request-target';
import { resolveDataDir } from '../../core/data-dir';
import { ExchangeStore } from '../../core/store/exchange-store';
import {
  createHttpsInterception,
  INSECURE_UPSTREAM_WARNING,
  parseHostList,
} from '../../core/tls/https-interception';

const HELP = `Usage: wirelens capture [--listen HOST:PORT] [--data-dir DIR] [--json]
                        [--no-intercept HOST,...] [--insecure-upstream]

Runs the capture proxy and prints one line per finished exchange.

  --listen HOST:PORT  Where to listen (default 127.0.0.1:8080; port 0 = any free port).
                      A non-loopback address is reachable by other machines: warned.
  --data-dir DIR      Data folder (default: WIRELENS_DATA_DIR or the user data folder).
  --json              NDJSON output: {"type":"listening",...} then {"type":"exchange",...}.
  HTTPS (CONNECT) is decrypted with the Wirelens CA (see \`wirelens ca\`); clients must
  trust it.
  --no-intercept HOSTS  Relay these hosts as recorded blind tunnels (a.com,*.b.org;
                      '*' = all hosts, i.e. no interception).
  --insecure-upstream Do not verify upstream certificates (a warning is printed).
`;

interface CaptureArgs {
  host: string;
  port: number;
  dataDir?: string;
  json: boolean;
  noIntercept: string[];
  insecureUpstream: boolean;
}

function parseArgs(args: string[]): CaptureArgs | string {
  const out: CaptureArgs = {
    host: '127.0.0.1',
    port: 8080,
    json: false,
    noIntercept: [],
    insecureUpstream: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === '--json') out.json = true;
    // --intercept is the default now; still accepted so older scripts keep working.
    else if (name === '--intercept') continue;
    else if (name === '--no-intercept') out.noIntercept.push(...parseHostList(value() ?? ''));
    else if (name === '--insecure-upstream') out.insecureUpstream = true;
    else if (name === '--listen') {
      const v = value();
      // splitAuthority refuses port 0, which here means "any free port".
      const anyPort = v !== undefined && /:0$/.test(v);
      const where = v ? splitAuthority(anyPort ? v.replace(/:0$/, ':1') : v, null) : null;
      if (!v || !where) {
        // `--listen 0` / `--listen 9000`: a port alone on the default host.
        if (v && /^\d{1,5}$/.test(v) && Number(v) <= 65535) out.port = Number(v);
        else return `--listen needs HOST:PORT (e.g. 127.0.0.1:8080), got "${v ?? ''}"`;
      } else {
        out.host = where.host;
        out.port = anyPort ? 0 : where.port;
      }
    } else if (name === '--data-dir') {
      const v = value();
      if (!v) return '--data-dir needs a folder';
      out.dataDir = v;
    } else return `unknown option "${arg}" (see wirelens capture --help)`;
  }
  return out;
}

function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  return `${(n / 1_000_000_000).toFixed(2)} GB`;
}

export function formatExchangeLine(e: FinishedExchange): string {
  const status = e.status === null ? '---' : String(e.status);
  const ms = `${Math.round(e.durationMs)} ms`;
  const what = e.state === 'tunnel' ? `tunnel ${formatBytes(e.requestBytes)} up` : '';
  const error = e.error ? ` ${e.error.code}: ${e.error.message}` : '';
  return (
    [status, e.method, e.url, what, formatBytes(e.responseBytes), ms].filter(Boolean).join(' ') +
    error
  );
}

export function exchangeJson(e: FinishedExchange): string {
  return JSON.stringify({
    type: 'exchange',
    id: e.id,
    connectionId: e.connectionId,
    indexOnConnection: e.indexOnConnection,
    method: e.method,
    url: e.url,
    status: e.status,
    error: e.error,
    requestBytes: e.requestBytes,
    responseBytes: e.responseBytes,
    durationMs: Math.round(e.durationMs * 1000) / 1000,
  });
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`wirelens capture: ${parsed}\n`);
    return 2;
  }
  const dataDir = resolveDataDir({ dataDir: parsed.dataDir });
  const store = await ExchangeStore.open(dataDir);
  const print = (line: string): void => void process.stdout.write(line + '\n');
  const interception = parsed.noIntercept.includes('*')
    ? null
    : await createHttpsInterception(dataDir, { noInterceptHosts: parsed.noIntercept });
  // The limits chosen in Settings for this data folder (limits.json), else the defaults.
  const limits = loadLimits(dataDir);
  const proxy = new ProxyServer({
    recorder: store,
    limits: limits.limits,
    onConnect: interception?.onConnect,
    insecureUpstream: parsed.insecureUpstream,
    onExchangeEnd: (e) => {
      // Written to the log before it is printed: a printed exchange survives a SIGKILL.
      store.flush();
      print(parsed.json ? exchangeJson(e) : formatExchangeLine(e));
    },
  });
  let address;
  try {
    address = await proxy.start({ host: parsed.host, port: parsed.port });
  } catch (error) {
    await store.close();
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `wirelens capture: ${e.message ?? String(error)}${e.code ? ` (${e.code})` : ''}\n`,
    );
    return 1;
  }
  const warnings = [limits.warning ?? [], proxy.warnings, interception?.ca.warnings ?? []].flat();
  for (const w of warnings) {
    process.stderr.write(w + '\n');
  }
  if (parsed.insecureUpstream) process.stderr.write(INSECURE_UPSTREAM_WARNING + '\n');
  const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
  print(
    parsed.json
      ? JSON.stringify({ type: 'listening', host: address.host, port: address.port, dataDir })
      : `Proxy listening on http://${shown}:${address.port}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.stop({ graceMs: 3000 });
  await store.close();
  return 0;
}
