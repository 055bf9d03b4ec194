/**
 * The raw-socket sender: writes exactly the composed bytes (after the optional
 * Content-Length fix and LF→CRLF in the head) to a net/tls socket, reads what comes back
 * with the message engine, and records it all as `composer` exchanges.
 *
 * Bad input (no target, bad port) rejects with a SenderError. Everything that goes wrong on
 * the network resolves: the result carries the error and the bytes received so far.
 */
import {
  ERROR_CODES,
  type SendOptions,
  type SendRequest,
  type SendResult,
  type SendTarget,
  type WirelensError,
} from '../../../shared/api/inspector-api';
import type { Timings } from '../../../shared/model/exchange';
import type { ExchangeRecorder } from '../store/recorder-types';
import { nowMs as now } from '../clock';
import { ConnectionPool, defaultPool, type PooledConnection } from './connection-pool';
import { runSession, type SessionOutcome } from './exchange-session';
import { openConnection } from './open-connection';
import type { PreparedRequest } from './prepare-request';
import { prepareRemembered } from './prepared-cache';
import { SessionHooks } from './session-hooks';
import { checkTarget, describeTarget, targetFromRequest } from './resolve-target';
import { recordConnection, SendRecording } from './send-recording';
import { SenderError } from './sender-error';
import { SocketEvents } from './socket-events';

export interface SenderDeps {
  /** Where sends are recorded (the exchange store); none = not recorded. */
  recorder?: ExchangeRecorder;
  signal?: AbortSignal;
  /** Idle connections for `keepAlive` sends (default: one pool per process). */
  pool?: ConnectionPool;
  /** Extra CA certificates (PEM) trusted when verifying servers. */
  ca?: string | string[];
}

export const DEFAULT_TIMEOUTS = {
  connectMs: 10_000,
  firstByteMs: 30_000,
  idleMs: 30_000,
  totalMs: 120_000,
} as const;

export async function sendRequest(input: SendRequest, deps: SenderDeps = {}): Promise<SendResult> {
  const [result] = await sendBatch([input.raw], input.target, input.options ?? {}, deps);
  return result;
}

/**
 * Writes several requests back to back on one connection (HTTP/1.1 pipelining) and reads
 * all the responses, in order. The target defaults to the first request's.
 */
export function sendPipelined(
  requests: Uint8Array[],
  target?: SendTarget,
  options: SendOptions = {},
  deps: SenderDeps = {},
): Promise<SendResult[]> {
  if (requests.length === 0) {
    return Promise.reject(new SenderError(ERROR_CODES.INVALID_ARGUMENT, 'nothing to send'));
  }
  return sendBatch(requests, target, options, deps);
}

async function sendBatch(
  raws: Uint8Array[],
  explicitTarget: SendTarget | undefined,
  options: SendOptions,
  deps: SenderDeps,
): Promise<SendResult[]> {
  const start = now();
  for (const raw of raws) {
    if (!(raw instanceof Uint8Array)) {
      throw new SenderError(ERROR_CODES.INVALID_ARGUMENT, 'the request must be bytes');
    }
    if (raw.length === 0)
      throw new SenderError(ERROR_CODES.INVALID_ARGUMENT, 'the request is empty');
  }
  const prepared = raws.map((raw) => prepareRemembered(raw, options));
  const target = checkTarget(explicitTarget ?? targetFromRequest(prepared[0]));
  const timeouts = options.timeouts
    ? { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts) }
    : DEFAULT_TIMEOUTS;
  const deadline = start + timeouts.totalMs;
  const where = describeTarget(target);
  const pool = options.keepAlive ? (deps.pool ?? defaultPool) : undefined;
  const poolKey = pool ? ConnectionPool.keyOf(target, deps.ca) : '';
  const shared: Timings = { start };

  let connection = pool?.take(poolKey);
  if (connection && connection.recorder !== deps.recorder) {
    // Kept alive by a send that recorded elsewhere (or not at all): new to this recorder.
    connection.connectionId = recordConnection(deps.recorder, target, start);
    connection.recorder = deps.recorder;
    connection.nextIndex = 0;
    describeConnection(connection);
  }
  const connectionId = connection
    ? connection.connectionId
    : recordConnection(deps.recorder, target, start);
  const firstIndex = connection?.nextIndex ?? 0;
  const recordings = prepared.map((p, i) =>
    SendRecording.start(
      deps.recorder,
      connectionId,
      firstIndex + i,
      target,
      shared,
      p.bytes,
      p.warnings,
    ),
  );

  if (!connection) {
    try {
      const opened = await openConnection(target, shared, {
        connectTimeoutMs: Math.max(1, Math.min(timeouts.connectMs, deadline - now())),
        signal: deps.signal,
        ca: deps.ca,
      });
      connection = {
        socket: opened.socket,
        remoteAddress: opened.remoteAddress,
        connectionId,
        recorder: deps.recorder,
        nextIndex: 0,
        events: new SocketEvents(opened.socket),
      };
      if (opened.tls) connection.tls = opened.tls;
    } catch (error) {
      const failure = asWirelensError(error);
      if (connectionId !== null) {
        deps.recorder?.updateConnection(connectionId, { closedAt: now(), error: failure });
      }
      return prepared.map((p, i) => {
        recordings[i].mark(shared, 'dnsStart', 'dnsEnd', 'connectStart', 'connectEnd', 'tlsStart');
        recordings[i].failed(failure, null);
        return result(p, target, { ...shared }, null, null, failure, recordings[i].id);
      });
    }
    describeConnection(connection);
    for (const r of recordings) {
      r.mark(shared, 'dnsStart', 'dnsEnd', 'connectStart', 'connectEnd', 'tlsStart', 'tlsEnd');
    }
  }

  const timings: Timings[] = prepared.map(() => ({ ...shared }));
  connection.events ??= new SocketEvents(connection.socket);
  const outcome = await runSession({
    socket: connection.socket,
    events: connection.events,
    requests: prepared,
    timeouts: {
      firstByteMs: timeouts.firstByteMs,
      idleMs: timeouts.idleMs,
      totalMs: timeouts.totalMs,
      deadline,
    },
    signal: deps.signal,
    where,
    hooks: new SessionHooks(timings, recordings),
  });
  recordFailures(outcome, recordings);

  if (outcome.reusable && pool) {
    connection.nextIndex = firstIndex + prepared.length;
    pool.put(poolKey, connection);
  } else {
    connection.socket.destroy();
  }
  const tls = connection.tls;
  return prepared.map((p, i) => {
    const extra = responseWarnings(outcome, i);
    return result(
      extra.length > 0 ? { ...p, warnings: [...p.warnings, ...extra] } : p,
      target,
      timings[i],
      tls ?? null,
      responseOf(outcome, i),
      i < outcome.failedIndex || outcome.failedIndex < 0 ? null : (outcome.error as WirelensError),
      recordings[i].id,
    );
  });
}

/** The request the error hit, and every one after it, ends failed with what arrived. */
function recordFailures(outcome: SessionOutcome, recordings: SendRecording[]): void {
  if (!outcome.error) return;
  for (let i = outcome.failedIndex; i < recordings.length; i++) {
    recordings[i].failed(outcome.error, outcome.reader.finalRecord(i, issueOf(outcome.error)));
  }
}

/** What the lenient reading of the response tolerated, for the user to see next to it. */
function responseWarnings(outcome: SessionOutcome, index: number): string[] {
  const slot = outcome.reader.slots[index];
  const issues = [...(slot.head?.warnings ?? []), ...(slot.messageEnd?.warnings ?? [])];
  return issues.map((issue) => `response: ${issue.message}`);
}

function issueOf(error: WirelensError) {
  return { code: error.code, message: error.message, offset: 0 };
}

function responseOf(outcome: SessionOutcome, index: number): SendResult['response'] {
  const raw = outcome.reader.slotBytes(index);
  if (raw.length === 0) return null;
  const slot = outcome.reader.slots[index];
  if (!slot.head) {
    const record = outcome.reader.finalRecord(index);
    return { raw, startLine: record?.startLine ?? '', headers: [], bodyOffset: raw.length };
  }
  return {
    raw,
    startLine: slot.head.startLine,
    headers: slot.head.headers,
    bodyOffset: slot.headOffset - slot.start + slot.head.headLength,
  };
}

function result(
  prepared: PreparedRequest,
  target: SendTarget,
  timings: Timings,
  tls: SendResult['tls'] | null,
  response: SendResult['response'],
  error: WirelensError | null,
  exchangeId: number | null,
): SendResult {
  const out: SendResult = {
    exchangeId,
    sent: prepared.bytes,
    target,
    response,
    timings,
    warnings: prepared.warnings,
    error,
  };
  if (tls) out.tls = tls;
  return out;
}

/** Tells the recorder where the connection went, and when it closes. */
function describeConnection(connection: PooledConnection): void {
  const { recorder, connectionId: id } = connection;
  if (!recorder || id === null) return;
  recorder.updateConnection(id, {
    remoteAddress: connection.remoteAddress,
    ...(connection.tls ? { tls: connection.tls } : {}),
  });
  // One close watcher per socket, even when it is reused under several recorders.
  connection.events ??= new SocketEvents(connection.socket);
  connection.events.onClosed = () => recorder.updateConnection(id, { closedAt: now() });
}

function asWirelensError(error: unknown): WirelensError {
  if (error instanceof SenderError) return error.toJSON();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => typeof v === 'number'),
  ) as Partial<T>;
}
