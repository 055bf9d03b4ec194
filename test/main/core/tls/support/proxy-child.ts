/**
 * Runs the real capture proxy with HTTPS interception in a child process, so the test can
 * give it NODE_EXTRA_CA_CERTS (read by Node only at start-up) to trust the local test
 * origins. Every recorder call is forwarded to the parent over IPC, where
 * ./proxy-in-child.ts rebuilds the captured connections and exchanges.
 *
 * Config comes as JSON in argv[2]: { dataDir, insecureUpstream?, noInterceptHosts?, hostMap? }.
 * `hostMap` makes test names (site-a.test) resolve to 127.0.0.1 in this process only, the
 * way a hosts file would: a client behind a proxy leaves name resolution to the proxy.
 */
import dns from 'node:dns';
import { ProxyServer } from '../../../../../main/core/proxy/proxy-server';
import type {
  ExchangeRecorder,
  ExchangeWriter,
} from '../../../../../main/core/store/recorder-types';
import { createHttpsInterception } from '../../../../../main/core/tls/https-interception';

interface ChildConfig {
  dataDir: string;
  insecureUpstream?: boolean;
  noInterceptHosts?: string[];
  hostMap?: Record<string, string>;
  firstBytesTimeoutMs?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const hostMap = config.hostMap ?? {};
const realLookup = dns.promises.lookup.bind(dns.promises);
(dns.promises as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
  const mapped = hostMap[host.toLowerCase()];
  if (mapped) return Promise.resolve({ address: mapped, family: mapped.includes(':') ? 6 : 4 });
  return (realLookup as (...args: unknown[]) => Promise<unknown>)(host, ...rest);
};

const send = (message: unknown): void => {
  process.send?.(message);
};
const encode = (value: unknown): unknown =>
  value instanceof Uint8Array ? { bytes: Buffer.from(value).toString('base64') } : value;

let nextConnection = 1;
let nextExchange = 1;
const recorder: ExchangeRecorder = {
  openConnection(init) {
    const id = nextConnection++;
    send({ type: 'connection', id, init });
    return id;
  },
  updateConnection(id, patch) {
    send({ type: 'connection-update', id, patch });
  },
  startExchange(init) {
    const id = nextExchange++;
    send({ type: 'exchange', id, init });
    const call =
      (op: string) =>
      (...args: unknown[]): void =>
        send({ type: 'exchange-op', id, op, args: args.map(encode) });
    const ops = [
      'setTarget',
      'appendRequest',
      'appendResponse',
      'setRequest',
      'setResponse',
      'addInformational',
      'mark',
      'setState',
      'addWarning',
      'setTunnelBytes',
      'fail',
      'finish',
    ] as const;
    const writer = { id } as Record<string, unknown>;
    for (const op of ops) writer[op] = call(op);
    return writer as unknown as ExchangeWriter;
  },
};

const interception = await createHttpsInterception(config.dataDir, {
  noInterceptHosts: config.noInterceptHosts,
  firstBytesTimeoutMs: config.firstBytesTimeoutMs,
});
const proxy = new ProxyServer({
  recorder,
  insecureUpstream: config.insecureUpstream,
  onConnect: interception.onConnect,
});
const address = await proxy.start({ host: '127.0.0.1', port: 0 });
send({
  type: 'listening',
  port: address.port,
  caPath: interception.ca.certPath,
  spki: interception.ca.spkiFingerprint,
});
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') void proxy.stop({ graceMs: 500 }).then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
