/**
 * `wirelens send`: the raw-socket sender from the terminal (like Burp's Repeater, or
 * `ncat` that knows HTTP). Reads a raw request from FILE or stdin, writes it to the
 * target, prints the raw response bytes on stdout and warnings on stderr. The send is
 * recorded in the store of the data folder, so it shows up in the inspector's list.
 *
 * Exit codes: 0 a response was read; 1 network or timeout error (one-line reason on
 * stderr, bytes received so far still on stdout); 2 bad usage or unreadable input.
 */
import { readFileSync } from 'node:fs';
import type { SendTarget } from '../../../shared/api/inspector-api';
import { resolveDataDir } from '../../core/data-dir';
import { prepareRequest } from '../../core/sender/prepare-request';
import { parseHostPort, targetFromRequest } from '../../core/sender/resolve-target';
import { sendResultJson } from '../../core/sender/result-json';
import { sendRequest } from '../../core/sender/send-request';
import { ExchangeStore } from '../../core/store/exchange-store';
import { requestFromCurl } from '../../core/export/curl-parts';

const HELP = `Usage: wirelens send [--target HOST:PORT] [--tls] [--servername NAME] [--insecure]
                     [--exact] [--no-fix-length] [--json] [--data-dir DIR] [FILE|-]
       wirelens send --from-curl 'curl …' [--dry-run] [options]

Sends a raw HTTP/1.x request (from FILE, or stdin when FILE is - or missing) exactly as
written and prints the raw response. Malformed requests are sent anyway, with warnings.

  --target HOST:PORT  Where to connect (default: the request's absolute URL, else its
                      Host header; port 80, or 443 with --tls). [v6]:port for IPv6.
  --tls               Use TLS (HTTPS).
  --servername NAME   TLS server name (SNI); default: the target host.
  --insecure, -k      Do not verify the server's certificate.
  --exact             Send the bytes untouched: no Content-Length fix, no LF->CRLF.
  --no-fix-length     Keep Content-Length as written (still turns bare LF into CRLF).
  --json              Print one JSON object: request, response (base64 bodies), timings,
                      warnings, error.
  --data-dir DIR      Data folder whose store records the send (default:
                      WIRELENS_DATA_DIR or the user data folder).
  --from-curl CMD     Build the request a curl command would send (curl's default
                      headers included; its URL is the target) instead of reading FILE.
  --dry-run           Print the exact bytes that would be sent, and send nothing.

Exit status: 0 when a response was read, 1 on a network or timeout error, 2 on bad usage.
`;

export interface SendArgs {
  target?: string;
  tls: boolean;
  servername?: string;
  insecure: boolean;
  exact: boolean;
  fixLength: boolean;
  json: boolean;
  dataDir?: string;
  /** FILE, or '-' for stdin. */
  file?: string;
  /** A curl command line to build the request from (issue 8). */
  fromCurl?: string;
  dryRun?: boolean;
  help: boolean;
}

/** Bad usage: exit code 2 with this message. */
class UsageError extends Error {}

export function parseSendArgs(args: string[]): SendArgs {
  const out: SendArgs = {
    tls: false,
    insecure: false,
    exact: false,
    fixLength: true,
    json: false,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '-h' || name === '--help') out.help = true;
    else if (name === '--target') out.target = value();
    else if (name === '--tls') out.tls = true;
    else if (name === '--servername') out.servername = value();
    else if (name === '--insecure' || name === '-k') out.insecure = true;
    else if (name === '--exact') out.exact = true;
    else if (name === '--no-fix-length') out.fixLength = false;
    else if (name === '--json') out.json = true;
    else if (name === '--data-dir') out.dataDir = value();
    else if (name === '--from-curl') out.fromCurl = value();
    else if (name === '--dry-run') out.dryRun = true;
    else if (name === '-' || !name.startsWith('-')) {
      if (out.file !== undefined)
        throw new UsageError(`more than one input file ("${out.file}", "${arg}")`);
      out.file = arg;
    } else throw new UsageError(`unknown option "${arg}" (see wirelens send --help)`);
  }
  return out;
}

export interface LoadedRequest {
  raw: Uint8Array;
  /** A target the source itself implies (e.g. a curl command's URL); flags still win. */
  target?: SendTarget;
  warnings: string[];
}

/**
 * Where the request comes from. Today: FILE or stdin. Other sources (`--from-curl`,
 * issue 8) add a branch here and return the raw bytes with their own target.
 */
export async function loadRequestFromArgs(args: SendArgs): Promise<LoadedRequest> {
  if (args.fromCurl !== undefined) return requestFromCurl(args.fromCurl);
  if (args.file !== undefined && args.file !== '-') {
    try {
      return { raw: readFileSync(args.file), warnings: [] };
    } catch (error) {
      throw new UsageError(`cannot read ${args.file}: ${(error as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { raw: Buffer.concat(chunks), warnings: [] };
}

function chooseTarget(args: SendArgs, loaded: LoadedRequest): SendTarget {
  const hints = {
    tls: args.tls || undefined,
    servername: args.servername,
    verify: args.insecure ? false : undefined,
  };
  let target: SendTarget;
  if (args.target) {
    const { host, port } = parseHostPort(args.target, args.tls ? 443 : 80);
    target = { host, port, tls: args.tls };
  } else if (loaded.target) {
    target = { ...loaded.target, tls: args.tls || loaded.target.tls };
  } else {
    const options = { fixContentLength: false, normalizeLineEndings: !args.exact };
    target = targetFromRequest(prepareRequest(loaded.raw, options), hints);
  }
  if (hints.servername !== undefined) target.servername = hints.servername;
  if (hints.verify !== undefined) target.verify = hints.verify;
  return target;
}

/** Opens the store to record in; a store in use elsewhere is a warning, not a failure. */
async function openStore(dataDir: string | undefined): Promise<ExchangeStore | null> {
  try {
    return await ExchangeStore.open(resolveDataDir({ dataDir }));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `warning: the send is not recorded: ${e.code ? `${e.code}: ` : ''}${e.message}\n`,
    );
    return null;
  }
}

export async function run(argv: string[]): Promise<number> {
  let args: SendArgs;
  let loaded: LoadedRequest;
  let target: SendTarget;
  try {
    args = parseSendArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    loaded = await loadRequestFromArgs(args);
    if (loaded.raw.length === 0) throw new UsageError('the request is empty');
    target = chooseTarget(args, loaded);
    if (args.dryRun) {
      const options = {
        fixContentLength: args.fixLength && !args.exact,
        normalizeLineEndings: !args.exact,
      };
      for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
      await writeOut(prepareRequest(loaded.raw, options).bytes);
      return 0;
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`wirelens send: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
    return 2;
  }

  const store = await openStore(args.dataDir);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await sendRequest(
      {
        raw: loaded.raw,
        target,
        options: {
          fixContentLength: args.fixLength && !args.exact,
          normalizeLineEndings: !args.exact,
        },
      },
      { recorder: store ?? undefined, signal: controller.signal },
    );
    const warnings = [...loaded.warnings, ...result.warnings];
    if (args.json) {
      const json = sendResultJson(result);
      json.warnings = warnings;
      process.stdout.write(JSON.stringify(json) + '\n');
    } else {
      for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
      if (result.response) await writeOut(result.response.raw);
    }
    if (result.error) {
      process.stderr.write(`wirelens send: ${result.error.code}: ${result.error.message}\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await store?.close();
  }
}

function writeOut(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())),
  );
}
