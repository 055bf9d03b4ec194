/**
 * Parent side of ./proxy-child.ts: starts the intercepting proxy in a child process that
 * trusts the given test CA for upstream TLS, and keeps the captured connections and
 * exchanges in plain objects the tests can wait on.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ConnectionRecord,
  Timings,
  WirelensError,
} from '../../../../../shared/model/exchange';

export interface CapturedExchange {
  id: number;
  connectionId: number;
  scheme: string;
  host: string;
  port: number;
  request: Buffer;
  response: Buffer;
  state: string;
  error: WirelensError | null;
  timings: Partial<Timings>;
  tunnel?: { up: number; down: number };
  warnings: string[];
  finished: boolean;
}

export interface ProxyInChild {
  port: number;
  caPath: string;
  spki: string;
  connections: Map<number, Omit<ConnectionRecord, 'id'>>;
  exchanges: Map<number, CapturedExchange>;
  /** Resolves with the first exchange matching `predicate` (checked on every update). */
  waitForExchange(
    predicate: (e: CapturedExchange) => boolean,
    what: string,
  ): Promise<CapturedExchange>;
  stop(): Promise<void>;
}

// Relative to this file, so it works whatever the runner's working folder (vitest, Playwright).
const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUN_TS = path.resolve(HERE, '../../../../../main/headless/bin/run-ts.mjs');
const CHILD = path.resolve(HERE, 'proxy-child.ts');
const WAIT_MS = 60_000;

export async function startProxyInChild(options: {
  dataDir: string;
  /** PEM file of the CA that signed the test origins. */
  upstreamCaPath?: string;
  insecureUpstream?: boolean;
  noInterceptHosts?: string[];
  /** Test names resolved to an address inside the proxy process (e.g. site-a.test → 127.0.0.1). */
  hostMap?: Record<string, string>;
  /** How long the interceptor waits for the client's first bytes before relaying blindly. */
  firstBytesTimeoutMs?: number;
}): Promise<ProxyInChild> {
  const env = { ...process.env };
  if (options.upstreamCaPath) env.NODE_EXTRA_CA_CERTS = options.upstreamCaPath;
  const child: ChildProcess = fork(RUN_TS, [CHILD, JSON.stringify(options)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const connections = new Map<number, Omit<ConnectionRecord, 'id'>>();
  const exchanges = new Map<number, CapturedExchange>();
  const watchers = new Set<() => void>();
  const listening = new Promise<{ port: number; caPath: string; spki: string }>(
    (resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`proxy child exited early (${code})`)));
      child.on('message', (message: Message) => {
        if (message.type === 'listening') resolve(message);
        else apply(message, connections, exchanges);
        for (const watcher of watchers) watcher();
      });
    },
  );
  const started = await withTimeout(listening, 'the proxy child to listen');
  return {
    ...started,
    connections,
    exchanges,
    waitForExchange(predicate, what) {
      const found = (): CapturedExchange | undefined => [...exchanges.values()].find(predicate);
      return withTimeout(
        new Promise<CapturedExchange>((resolve) => {
          const check = (): void => {
            const hit = found();
            if (hit) {
              watchers.delete(check);
              resolve(hit);
            }
          };
          watchers.add(check);
          check();
        }),
        what,
      );
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await withTimeout(exited, 'the proxy child to exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

type Message =
  | { type: 'listening'; port: number; caPath: string; spki: string }
  | { type: 'connection'; id: number; init: Omit<ConnectionRecord, 'id'> }
  | { type: 'connection-update'; id: number; patch: Partial<ConnectionRecord> }
  | {
      type: 'exchange';
      id: number;
      init: { connectionId: number; scheme: string; host: string; port: number; timings: Timings };
    }
  | { type: 'exchange-op'; id: number; op: string; args: unknown[] };

function apply(
  message: Message,
  connections: Map<number, Omit<ConnectionRecord, 'id'>>,
  exchanges: Map<number, CapturedExchange>,
): void {
  if (message.type === 'connection') connections.set(message.id, message.init);
  else if (message.type === 'connection-update') {
    const current = connections.get(message.id);
    if (current) connections.set(message.id, { ...current, ...message.patch });
  } else if (message.type === 'exchange') {
    const { connectionId, scheme, host, port, timings } = message.init;
    exchanges.set(message.id, {
      id: message.id,
      connectionId,
      scheme,
      host,
      port,
      request: Buffer.alloc(0),
      response: Buffer.alloc(0),
      state: 'pending',
      error: null,
      timings: { ...timings },
      warnings: [],
      finished: false,
    });
  } else if (message.type === 'exchange-op') {
    const ex = exchanges.get(message.id);
    if (ex) applyOp(ex, message.op, message.args);
  }
}

function applyOp(ex: CapturedExchange, op: string, args: unknown[]): void {
  const bytes = (value: unknown): Buffer =>
    Buffer.from((value as { bytes: string }).bytes, 'base64');
  switch (op) {
    case 'setTarget':
      ex.host = args[0] as string;
      ex.port = args[1] as number;
      if (args[2]) ex.scheme = args[2] as string;
      break;
    case 'appendRequest':
      ex.request = Buffer.concat([ex.request, bytes(args[0])]);
      break;
    case 'appendResponse':
      ex.response = Buffer.concat([ex.response, bytes(args[0])]);
      break;
    case 'mark':
      ex.timings[args[0] as keyof Timings] = (args[1] as number | undefined) ?? Date.now();
      break;
    case 'setState':
      ex.state = args[0] as string;
      break;
    case 'addWarning':
      ex.warnings.push(args[0] as string);
      break;
    case 'setTunnelBytes':
      ex.tunnel = { up: args[0] as number, down: args[1] as number };
      break;
    case 'fail':
      ex.error = args[0] as WirelensError;
      ex.state = 'failed';
      ex.finished = true;
      break;
    case 'finish':
      if (ex.state !== 'failed' && ex.state !== 'tunnel') ex.state = 'complete';
      ex.finished = true;
      break;
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    }),
  ]);
}
