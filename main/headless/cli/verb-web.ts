/**
 * `wirelens web`: the capture proxy plus the inspector UI in an ordinary browser (like
 * mitmweb). Serves the built renderer and the InspectorApi over a token-protected
 * WebSocket on 127.0.0.1; prints the proxy address and the token link.
 */
import { spawn } from 'node:child_process';
import { resolveDataDir } from '../../core/data-dir';
import { InspectorService } from '../../core/inspector-service';
import { NOT_AVAILABLE } from '../../core/service-errors';
import { INSECURE_UPSTREAM_WARNING, parseHostList } from '../../core/tls/https-interception';
import { ensureRendererBuild, RENDERER_OUT } from '../web-bridge/renderer-build';
import { startWebServer } from '../web-bridge/web-server';

const USAGE = `Usage: wirelens web [--listen HOST:PORT] [--ui HOST:PORT] [--data-dir DIR] [--no-open]
                    [--no-intercept HOST,...] [--insecure-upstream]

Runs the capture proxy and the inspector UI in your browser.
  --listen HOST:PORT  where the proxy listens (default 127.0.0.1:8080; port 0 = any free port)
  --ui HOST:PORT      where the UI is served (default 127.0.0.1:8081)
  --data-dir DIR      data folder (default: WIRELENS_DATA_DIR or the user data folder)
  --no-open           do not open the browser
  --no-intercept HOSTS  relay these hosts as recorded blind tunnels (a.com,*.b.org)
  --insecure-upstream do not verify upstream certificates (a warning is printed)
The UI link carries a random access token; anyone with the link can use the proxy's sender.`;

interface WebArgs {
  listen: { host: string; port: number };
  ui: { host: string; port: number };
  dataDir?: string;
  open: boolean;
  noIntercept: string[];
  insecureUpstream: boolean;
}

export function parseHostPort(
  value: string | undefined,
  flag: string,
): { host: string; port: number } {
  const match = value ? /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value) : null;
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535)
    throw new Error(`${flag} needs HOST:PORT, e.g. 127.0.0.1:8080 (got "${value ?? ''}").`);
  return { host: match[1] ?? match[2], port };
}

function parseArgs(args: string[]): WebArgs | 'help' {
  const parsed: WebArgs = {
    listen: { host: '127.0.0.1', port: 8080 },
    ui: { host: '127.0.0.1', port: 8081 },
    open: true,
    noIntercept: [],
    insecureUpstream: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--listen') parsed.listen = parseHostPort(value(), '--listen');
    else if (flag === '--ui') parsed.ui = parseHostPort(value(), '--ui');
    else if (flag === '--data-dir') {
      const dir = value();
      if (!dir) throw new Error('--data-dir needs a folder.');
      parsed.dataDir = dir;
    } else if (flag === '--no-open') parsed.open = false;
    else if (flag === '--no-intercept') parsed.noIntercept.push(...parseHostList(value() ?? ''));
    else if (flag === '--insecure-upstream') parsed.insecureUpstream = true;
    else throw new Error(`unknown option "${arg}". Run \`wirelens web --help\`.`);
  }
  return parsed;
}

/** Opens the link with the system's opener; never fails the command if it cannot. */
function openBrowser(url: string): void {
  if (process.env.CI) return;
  const command =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the link is printed, that is enough.
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const dataDir = resolveDataDir({ dataDir: parsed.dataDir });
  await ensureRendererBuild((line) => process.stdout.write(line + '\n'));

  const service = await InspectorService.create({
    dataDir,
    listen: parsed.listen,
    proxy: { noInterceptHosts: parsed.noIntercept, insecureUpstream: parsed.insecureUpstream },
  });
  for (const warning of service.startupWarnings) process.stderr.write(`Warning: ${warning}\n`);
  if (parsed.insecureUpstream) process.stderr.write(INSECURE_UPSTREAM_WARNING + '\n');
  const status = await service.getProxyStatus();
  if (status.state === 'error' && status.error?.code !== NOT_AVAILABLE) {
    await service.close();
    throw new Error(status.error?.message ?? 'the proxy could not start.');
  }
  let web;
  try {
    web = await startWebServer({
      service,
      files: service.files,
      rendererDir: RENDERER_OUT,
      host: parsed.ui.host,
      port: parsed.ui.port,
    });
  } catch (error) {
    await service.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new Error(
        `the UI port ${parsed.ui.port} is in use; choose another with --ui HOST:PORT.`,
      );
    throw error;
  }

  if (status.address) {
    process.stdout.write(
      `Proxy listening on http://${displayHost(status.address.host)}:${status.address.port}\n`,
    );
  } else {
    process.stderr.write(`Proxy not running: ${status.error?.message ?? 'unknown reason'}\n`);
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(web.host)) {
    process.stderr.write(
      `Warning: the UI listens on ${web.host}, not only on this machine. Anyone who gets the ` +
        `link can use this proxy's sender.\n`,
    );
  }
  const link = `http://${displayHost(web.host)}:${web.port}/?token=${web.token}`;
  process.stdout.write(`Open ${link}\n`);
  if (parsed.open) openBrowser(link);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await web.close();
  await service.close();
  return 0;
}
