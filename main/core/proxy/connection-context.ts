/**
 * What a served client connection needs from the proxy around it. The same context serves
 * plain connections and (later) decrypted connections inside intercepted CONNECT tunnels.
 */
import type net from 'node:net';
import type { Limits } from '../../../shared/api/inspector-api';
import type { ExchangeRecorder } from '../store/recorder-types';
import type { FinishedExchange, TrackedExchange } from './exchange-record';
import type { UpstreamPool } from './upstream-pool';

export interface ConnectTarget {
  host: string;
  port: number;
}

/** Handed to an interceptor for each CONNECT once `200 Connection Established` was sent. */
export interface ConnectRequest {
  /** The client socket: paused, with no listeners of ours left on it. */
  socket: net.Socket;
  target: ConnectTarget;
  /** Bytes the client sent after the CONNECT head (already read from the socket). */
  head: Uint8Array;
  /** The client connection the CONNECT arrived on. */
  connectionId: number;
  /** The exchange recording the CONNECT itself (request + 200 already recorded). */
  exchange: TrackedExchange;
  /** Relays the socket blindly to the target and records it as a tunnel (pass-through). */
  relayBlind(): void;
}

export interface ProxyRuntime {
  recorder: ExchangeRecorder;
  limits: Limits;
  pool: UpstreamPool;
  insecureUpstream: boolean;
  /** True for a host:port that is this proxy's own listening address (never forwarded). */
  isSelf(host: string, port: number): boolean;
  onExchangeEnd?(info: FinishedExchange): void;
  /** Installed by HTTPS interception; absent → CONNECT is a blind tunnel. */
  onConnect?(request: ConnectRequest, runtime: ProxyRuntime): void;
}

export interface ConnectionContext {
  scheme: 'http' | 'https';
  connectionId: number;
  /** Origin-form requests go here (inside an intercepted CONNECT). */
  connectTarget?: ConnectTarget;
  runtime: ProxyRuntime;
}

/** What the server keeps per served connection, to stop it gracefully. */
export interface ConnectionHandle {
  /** No exchange in progress (safe to close now). */
  readonly idle: boolean;
  /** Close as soon as the current exchange is done (or now, if idle). */
  closeWhenIdle(): void;
  destroy(): void;
  /** Resolves when the socket closed. */
  readonly closed: Promise<void>;
}
