/**
 * `wirelens browser [URL]`: starts the capture proxy (HTTPS interception on, exchanges
 * recorded in the data folder) and launches Chromium through it with a fresh profile that
 * trusts the Wirelens CA by its SPKI fingerprint. Stops the proxy when the browser exits
 * (or on Ctrl-C, which also closes the browser).
 */
import { launchBrowser } from '../../core/browser/launch-browser';
import { resolveDataDir } from '../../core/data-dir';
import { ProxyServer } from '../../core/proxy/proxy-server';
import { ExchangeStore } from '../../core/store/exchange-store';
import {
  createHttpsInterception,
  INSECURE_UPSTREAM_WARNING,
  parseHostList,
} from '../../core/tls/https-interception';
import { formatExchangeLine } from './verb-capture';

const USAGE = `Usage: wirelens browser [URL] [--listen HOST:PORT] [--data-dir DIR]
                        [--no-intercept HOST,...] [--insecure-upstream]

Starts the capture proxy and opens Chromium through it, with a temporary profile that
trusts the Wirelens CA (nothing is installed system-wide). Prints one line per exchange.
  --listen HOST:PORT      where the proxy listens (default 127.0.0.1:0 = any free port)
  --data-dir DIR          data folder (default: WIRELENS_DATA_DIR or the user data folder)
  --no-intercept HOSTS    pass these hosts through as blind tunnels (*.example.com allowed)
  --insecure-upstream     do not verify upstream certificates (warned)
Chromium is found via CHROMIUM_PATH, then the usual install paths.`;

interface BrowserArgs {
  url?: string;
  host: string;
  port: number;
  dataDir?: string;
  noIntercept: string[];
  insecureUpstream: boolean;
}

function parseListen(value: string | undefined): { host: string; port: number } {
  const match = value ? /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value) : null;
  if (!match || Number(match[3]) > 65535) {
    throw new Error(`--listen needs HOST:PORT, e.g. 127.0.0.1:8080 (got "${value ?? ''}").`);
  }
  return { host: match[1] ?? match[2], port: Number(match[3]) };
}

function parseArgs(args: string[]): BrowserArgs | 'help' {
  const parsed: BrowserArgs = {
    host: '127.0.0.1',
    port: 0,
    noIntercept: [],
    insecureUpstream: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : args[++i]);
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--listen') Object.assign(parsed, parseListen(value()));
    else if (flag === '--data-dir') {
      const dir = value();
      if (!dir) throw new Error('--data-dir needs a folder.');
      parsed.dataDir = dir;
    } else if (flag === '--no-intercept') parsed.noIntercept.push(...parseHostList(value() ?? ''));
    else if (flag === '--insecure-upstream') parsed.insecureUpstream = true;
    else if (!flag.startsWith('-') && parsed.url === undefined) parsed.url = arg;
    else throw new Error(`unknown option "${arg}". Run \`wirelens browser --help\`.`);
  }
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const print = (line: string): void => void process.stdout.write(line + '\n');
  const dataDir = resolveDataDir({ dataDir: parsed.dataDir });
  const store = await ExchangeStore.open(dataDir);
  const interception = await createHttpsInterception(dataDir, {
    noInterceptHosts: parsed.noIntercept,
  });
  const proxy = new ProxyServer({
    recorder: store,
    insecureUpstream: parsed.insecureUpstream,
    onConnect: interception.onConnect,
    onExchangeEnd: (e) => {
      store.flush();
      print(formatExchangeLine(e));
    },
  });
  const stopAll = async (): Promise<void> => {
    await proxy.stop({ graceMs: 2000 });
    await store.close();
  };
  let address;
  try {
    address = await proxy.start({ host: parsed.host, port: parsed.port });
  } catch (error) {
    await store.close();
    throw error;
  }
  for (const warning of [...proxy.warnings, ...interception.ca.warnings]) {
    process.stderr.write(warning + '\n');
  }
  if (parsed.insecureUpstream) process.stderr.write(INSECURE_UPSTREAM_WARNING + '\n');
  const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
  print(`Proxy listening on http://${shown}:${address.port}`);

  let browser;
  try {
    browser = await launchBrowser({
      proxy: address,
      spkiFingerprint: interception.ca.spkiFingerprint,
      url: parsed.url,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  print(`Browser started (pid ${browser.pid ?? '?'}), temporary profile ${browser.profileDir}`);
  const signalled = new Promise<'signal'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
  });
  const why = await Promise.race([browser.exited.then(() => 'exited' as const), signalled]);
  if (why === 'signal') await browser.close();
  else print('Browser closed; stopping the proxy.');
  await stopAll();
  return 0;
}
