/**
 * One request forwarded upstream (pooled connection, rewritten head, streamed body) and its
 * response parsed strictly and streamed back, both recorded as they pass. Failures before the
 * response head reached the client become an error page; after it the client connection is
 * cut, because a half-sent response cannot be repaired.
 *
 * This class connects, sends the request, retries once on a stale pooled connection, and
 * ends the exchange; the response half is the class it extends, ResponseRelay
 * (./response-relay.ts).
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { WirelensError } from '../../../shared/model/exchange';
import type { ClientSide, ExchangeDriver } from './client-side';
import type { ProxyRuntime } from './connection-context';
import {
  asWirelensError,
  CLIENT_ABORTED,
  clientBodyText,
  closedError,
  statusForUpstreamError,
  upstreamErrorText,
} from './error-status';
import { recordFromHead, type TrackedExchange } from './exchange-record';
import { buildForwardHead } from './forward-head';
import type { ResolvedTarget } from './request-target';
import { sweepFor, type DeadlineSweep, type Expiring } from './deadline-sweep';
import { ResponseRelay } from './response-relay';
import {
  holdClientDrain,
  holdUpstream,
  responseReaderFor,
  type UpstreamHandler,
} from './upstream-link';
import type { UpstreamTarget } from './upstream-connect';
import type { Lease } from './upstream-pool';
import { pauseUntilStoreCaughtUp } from './store-wait';
import { syntheticResponse } from './synthetic-response';

export class ForwardExchange
  extends ResponseRelay
  implements ExchangeDriver, UpstreamHandler, Expiring
{
  private pending: Uint8Array[] = [];
  private requestBodyLength = 0;
  /** Reading the client is paused until the store's disk writes catch up (a big upload). */
  private clientStoreWait = false;
  private retried = false;
  deadlineAt = 0; // of the first response byte, while `sweep` holds this exchange
  listSlot = -1; // where `sweep` holds it
  private sweep: DeadlineSweep | null = null;
  private readonly url: string;
  private readonly upstreamTarget: UpstreamTarget;

  constructor(
    client: ClientSide,
    runtime: ProxyRuntime,
    ex: TrackedExchange,
    head: ParsedHead,
    private readonly headBytes: Uint8Array,
    resolved: ResolvedTarget,
    upgrade: boolean,
  ) {
    super(client, runtime, ex, head, resolved.target, upgrade);
    this.url = resolved.url;
    this.upstreamTarget = resolved.upstream;
  }

  /** Connects upstream (from the pool); also used once more for a retry. */
  start(): void {
    const target = this.upstreamTarget;
    // An idle pooled connection is taken synchronously: no promise per exchange.
    const idle = this.runtime.pool.takeIdle(target);
    if (idle) return this.connected(idle);
    this.runtime.pool
      .acquire(target, (name) => this.ex.mark(name))
      .then(
        (lease) => this.connected(lease),
        (error) =>
          this.failBeforeResponse(asWirelensError(error, ERROR_CODES.UPSTREAM_CONNECT_FAILED)),
      );
  }

  private connected(lease: Lease): void {
    if (this.done) {
      lease.socket.destroy();
      return;
    }
    this.lease = lease;
    const socket = lease.socket;
    this.client.noteUpstream(this.upstreamTarget, lease.remoteAddress);
    const reader = responseReaderFor(socket, this.runtime.limits, this);
    this.parser = reader.parser;
    this.capture = reader.capture;
    this.parser.expectResponseTo(this.head.method ?? 'GET');
    holdUpstream(socket, this);
    holdClientDrain(this.client.socket, this);
    const t = this.target;
    const forwardHead = buildForwardHead(this.headBytes, this.head, t, this.upgrade);
    socket.write(forwardHead);
    for (const chunk of this.pending) socket.write(chunk);
    this.pending = [];
    this.client.resume('connecting');
    if (this.requestComplete) this.requestWritten();
  }

  /** @internal The upstream accepted more bytes. */
  onUpstreamDrain(): void {
    this.client.resume('upstream');
  }

  /** The store's disk writes lag (./store-wait.ts): stop reading the client (a big upload). */
  private waitForStoreOnClient(): void {
    if (this.clientStoreWait) return;
    this.clientStoreWait = true;
    pauseUntilStoreCaughtUp(
      this.runtime.recorder,
      () => this.client.pause('store'),
      () => {
        this.clientStoreWait = false;
        this.client.resume('store');
      },
    );
  }

  // --- request side -------------------------------------------------------------------

  requestBody(raw: Uint8Array): void {
    this.ex.appendRequest(raw);
    this.requestBodyLength += raw.length;
    this.writeUpstream(raw);
  }

  requestEnd(wireBodyLength: number, trailers: Array<[string, string]>): void {
    this.requestComplete = true;
    const end: MessageEnd = { wireBodyLength, payloadLength: 0, trailers, warnings: [] };
    this.ex.setRequest(recordFromHead(this.head, 0, wireBodyLength, end));
    if (this.lease) this.requestWritten();
  }

  tunnelUp(data: Uint8Array): void {
    if (this.tunnel) this.tunnel.up += data.length;
    this.writeUpstream(data);
  }

  private writeUpstream(bytes: Uint8Array): void {
    if (this.done) return;
    if (!this.lease) {
      // Not connected yet: hold this chunk and stop reading more until we are.
      this.pending.push(Buffer.from(bytes));
      this.client.pause('connecting');
      return;
    }
    if (!this.lease.socket.write(bytes)) this.client.pause('upstream');
    if (this.runtime.recorder.writesBehind) this.waitForStoreOnClient();
  }

  private requestWritten(): void {
    // The store derives the `request-complete` state from this mark (one call, not two).
    this.ex.mark('requestEnd');
    if (!this.responseSeen) {
      this.sweep = sweepFor(this.runtime.limits.upstreamFirstByteTimeoutMs);
      this.sweep.add(this);
    }
  }

  /** @internal The first-byte deadline passed (called by the shared sweep). */
  expire(): void {
    this.sweep = null;
    const ms = this.runtime.limits.upstreamFirstByteTimeoutMs;
    const message = `${this.target.host}:${this.target.port} sent no response within ${ms} ms`;
    this.failBeforeResponse({ code: ERROR_CODES.UPSTREAM_TIMEOUT, message });
  }

  protected override stopFirstByteWait(): void {
    this.sweep?.delete(this);
    this.sweep = null;
  }

  clientBodyError(message: string, rest: Uint8Array): void {
    this.ex.appendRequest(rest);
    const error = { code: ERROR_CODES.CLIENT_PARSE_ERROR, message };
    this.lease?.socket.destroy();
    if (!this.headSent) {
      this.client.write(syntheticResponse(400, clientBodyText(message), { close: true }).bytes);
    }
    this.end(error, false);
  }

  clientClosed(): void {
    if (this.done) return;
    if (this.tunnel) {
      this.endTunnel();
      return;
    }
    this.lease?.socket.destroy();
    this.end(CLIENT_ABORTED, false);
  }

  abort(reason: string): void {
    if (this.done) return;
    this.lease?.socket.destroy();
    if (this.tunnel) return this.endTunnel();
    this.end({ code: ERROR_CODES.INTERNAL, message: reason }, false);
    this.client.destroy();
  }

  // --- upstream closed; how the exchange ends ------------------------------------------

  /** @internal */ onUpstreamEnd(): void {
    // Completes a close-delimited body, or reports INCOMPLETE_MESSAGE.
    if (!this.done && this.responseSeen && !this.tunnel) this.parser?.end();
    this.upstreamGone();
  }

  /** @internal */ onStall(): void {
    this.upstreamGone(
      new Error(`no data for ${this.runtime.limits.idleTimeoutMs} ms`),
      ERROR_CODES.UPSTREAM_TIMEOUT,
    );
  }

  /** @internal */ upstreamGone(error?: Error, code: string = ERROR_CODES.UPSTREAM_RESET): void {
    if (this.done) return;
    if (this.tunnel) return this.endTunnel();
    const lease = this.lease;
    const retryable = this.requestComplete && this.requestBodyLength === 0 && !this.retried;
    if (!this.responseSeen && lease?.reused && retryable) {
      // A pooled connection the origin closed while idle: one fresh attempt is safe,
      // nothing of the request body was consumed.
      this.retried = true;
      this.stopFirstByteWait();
      this.detach(lease);
      lease.socket.destroy();
      this.lease = null;
      this.start();
      return;
    }
    const where = `${this.target.host}:${this.target.port}`;
    const failure = closedError(where, code, this.headSent, this.responseBodyLength, error);
    if (!this.headSent) return this.failBeforeResponse(failure);
    this.release(false);
    this.end(failure, false);
    this.client.destroy();
  }

  protected override failBeforeResponse(error: WirelensError): void {
    if (this.done) return;
    this.release(false);
    this.flushClient(); // interim (1xx) responses gathered from the same chunk go first
    const status = statusForUpstreamError(error);
    const page = syntheticResponse(status, upstreamErrorText(error, this.url), {
      close: true,
    });
    this.client.write(page.bytes);
    this.end(error, false);
  }

  private endTunnel(): void {
    if (this.done || !this.tunnel) return;
    this.ex.setTunnelBytes(this.tunnel.up, this.tunnel.down);
    this.ex.mark('responseEnd');
    this.release(false);
    this.end(null, false);
    this.client.destroy();
  }

  protected override release(reusable: boolean): void {
    this.stopFirstByteWait();
    const lease = this.lease;
    if (!lease) return;
    this.detach(lease);
    this.lease = null;
    if (reusable) this.runtime.pool.release(lease);
    else lease.socket.destroy();
  }

  /** Stop hearing from the upstream socket and the client's drain. */
  private detach(lease: Lease): void {
    holdUpstream(lease.socket, null);
    holdClientDrain(this.client.socket, null);
  }

  protected override end(error: WirelensError | null, keepAlive: boolean): void {
    if (this.done) return;
    this.flushClient(); // before the client connection may be ended
    this.done = true;
    this.stopFirstByteWait();
    if (error) this.ex.fail(error);
    else this.ex.finish();
    this.client.done(keepAlive);
  }
}
