/**
 * One request forwarded upstream (pooled connection, rewritten head, streamed body) and its
 * response parsed strictly and streamed back, both recorded as they pass. Failures before the
 * response head reached the client become an error page; after it the client connection is
 * cut, because a half-sent response cannot be repaired.
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { HttpMessageParser, MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { ParseIssue, WirelensError } from '../../../shared/model/exchange';
import type { ClientSide, ExchangeDriver } from './client-side';
import type { ProxyRuntime } from './connection-context';
import {
  asWirelensError,
  CLIENT_ABORTED,
  clientBodyText,
  closedError,
  responseIssueError,
  statusForUpstreamError,
  upstreamErrorText,
} from './error-status';
import {
  NO_BODY,
  recordFromHead,
  recordFromUnparsed,
  type TrackedExchange,
} from './exchange-record';
import { joinAdjacent } from './adjacent-bytes';
import { buildForwardHead } from './forward-head';
import type { ResolvedTarget, RequestTarget } from './request-target';
import { sweepFor, type DeadlineSweep, type Expiring } from './deadline-sweep';
import type { StreamCapture } from './stream-capture';
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

export class ForwardExchange implements ExchangeDriver, UpstreamHandler, Expiring {
  private lease: Lease | null = null;
  private pending: Uint8Array[] = [];
  private requestComplete = false;
  private requestBodyLength = 0;
  private responseSeen = false;
  private responseHead: ParsedHead | null = null;
  private responseBase = 0;
  private responseBodyLength = 0;
  /** Stream offset (on the upstream connection) where the current response head ends. */
  private responseHeadEnd = 0;
  private informational = false;
  private headSent = false;
  private responseHeadPending = false;
  private done = false;
  /** Reading is paused until the store's disk writes catch up (upstream / client side). */
  private storeWait = false;
  private clientStoreWait = false;
  private tunnel: { up: number; down: number } | null = null;
  private retried = false;
  deadlineAt = 0; // of the first response byte, while `sweep` holds this exchange
  private sweep: DeadlineSweep | null = null;
  private parser: HttpMessageParser | null = null;
  private capture!: StreamCapture; // set when connected
  /**
   * While a chunk from upstream is parsed, what goes to the client is gathered here: the
   * head and body of a response that arrived in one chunk are adjacent in it, so they
   * leave as one write of one view (no copy, no writev).
   */
  private batching = false;
  private out: Uint8Array | null = null;
  /** The client socket was corked for pieces that were not adjacent. */
  private corked = false;
  private readonly target: RequestTarget;
  private readonly url: string;
  private readonly upstreamTarget: UpstreamTarget;

  constructor(
    private readonly client: ClientSide,
    private readonly runtime: ProxyRuntime,
    private readonly ex: TrackedExchange,
    private readonly head: ParsedHead,
    private readonly headBytes: Uint8Array,
    resolved: ResolvedTarget,
    private readonly upgrade: boolean,
  ) {
    this.target = resolved.target;
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

  /** @internal The client accepted more bytes. */
  onClientDrain(): void {
    if (!this.storeWait) this.lease?.socket.resume();
  }

  /** The store's disk writes lag (./store-wait.ts): stop reading the upstream meanwhile. */
  private waitForStore(): void {
    const lease = this.lease;
    if (this.storeWait || this.done || lease === null) return;
    this.storeWait = true;
    pauseUntilStoreCaughtUp(
      this.runtime.recorder,
      () => lease.socket.pause(),
      () => {
        this.storeWait = false;
        if (this.lease === lease && !this.done && !this.client.socket.writableNeedDrain)
          lease.socket.resume();
      },
    );
  }

  /** The same for a big upload: stop reading the client. */
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

  private stopFirstByteWait(): void {
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

  // --- response side ------------------------------------------------------------------

  /** @internal */ onUpstreamData(chunk: Buffer): void {
    if (!this.responseSeen) {
      this.responseSeen = true;
      this.stopFirstByteWait();
      this.ex.mark('responseStart');
    }
    const parser = this.parser!;
    this.capture.add(chunk);
    this.batching = true;
    this.ex.gatherResponse(true);
    try {
      parser.push(chunk);
    } finally {
      this.ex.gatherResponse(false);
      this.batching = false;
      this.flushClient();
    }
    if (this.runtime.recorder.writesBehind) this.waitForStore();
    this.capture.afterPush();
    if (this.responseHeadPending && this.responseHead) {
      this.responseHeadPending = false;
      this.ex.setResponse(
        recordFromHead(this.responseHead, this.responseBase, 0),
        this.responseHead.statusCode,
      );
      this.ex.setState('response-head');
    }
  }

  /** @internal */ onResponseHead(h: ParsedHead, off: number): void {
    const bytes = this.capture.slice(off, off + h.headLength);
    this.capture.headDone(off + h.headLength);
    this.responseHeadEnd = off + h.headLength;
    const status = h.statusCode ?? 0;
    this.ex.appendResponse(bytes);
    if (status >= 100 && status < 200 && status !== 101) {
      this.informational = true;
      this.ex.addInformational(recordFromHead(h, this.responseBase, 0, NO_BODY));
      this.responseBase += bytes.length;
      this.writeClient(bytes);
      return;
    }
    this.responseHead = h;
    // Recorded after this chunk is parsed, unless the whole response is in it (then the
    // final record alone is enough: fewer log records per exchange).
    this.responseHeadPending = true;
    this.headSent = true;
    this.writeClient(bytes);
    if (status === 101 && this.upgrade) {
      this.tunnel = { up: 0, down: 0 };
      this.responseHeadPending = false;
      this.ex.setResponse(recordFromHead(h, this.responseBase, 0, NO_BODY), status);
      this.ex.setState('tunnel');
      this.lease?.socket.setTimeout(0);
    }
  }

  /** @internal */ onResponseBody(raw: Uint8Array): void {
    this.ex.appendResponse(raw);
    this.responseBodyLength += raw.length;
    this.writeClient(raw);
  }

  /** @internal */ onTunnelDown(data: Uint8Array): void {
    if (!this.tunnel) return;
    this.tunnel.down += data.length;
    this.writeClient(data);
  }

  private writeClient(bytes: Uint8Array): void {
    if (!this.batching) {
      if (!this.client.write(bytes)) this.lease?.socket.pause();
      return;
    }
    const out = this.out;
    const joined = out === null ? bytes : joinAdjacent(out, bytes);
    if (joined !== null) {
      this.out = joined;
    } else {
      // Not adjacent (a head that spanned chunks): still one writev for the chunk.
      if (!this.corked) this.client.socket.cork();
      this.corked = true;
      this.out = bytes;
      if (!this.client.write(out!)) this.lease?.socket.pause();
    }
  }

  /** Writes what was gathered while a chunk was parsed (and before the exchange ends). */
  private flushClient(): void {
    const out = this.out;
    if (out !== null) {
      this.out = null;
      if (!this.client.write(out)) this.lease?.socket.pause();
    }
    if (this.corked) {
      this.corked = false;
      this.client.socket.uncork();
    }
  }

  /** @internal */ onResponseEnd(end: MessageEnd): void {
    const h = this.responseHead;
    if (this.informational || !h) {
      this.informational = false;
      this.capture.messageDone(this.responseHeadEnd);
      return;
    }
    if (this.tunnel) return; // 101: the rest is tunnel data
    this.responseHeadPending = false;
    this.ex.mark('responseEnd');
    this.ex.setResponse(
      recordFromHead(h, this.responseBase, end.wireBodyLength, end),
      h.statusCode,
    );
    this.parser!.pause();
    // Anything after the response on the same connection means the origin is out of sync.
    const leftover = this.capture.total > this.parser!.offset;
    const reusable =
      h.keepAlive && this.head.keepAlive && this.requestComplete && !leftover && !this.upgrade;
    const clientKeepAlive =
      h.keepAlive && this.head.keepAlive && this.requestComplete && !this.upgrade;
    this.release(reusable);
    this.end(null, clientKeepAlive);
  }

  /** @internal */ onResponseError(issue: ParseIssue, off: number): void {
    const where = `${this.target.host}:${this.target.port}`;
    const error = responseIssueError(where, issue, this.responseBodyLength);
    if (!this.headSent) {
      const raw = this.capture.unconsumed(off);
      this.ex.appendResponse(raw);
      this.ex.setResponse(recordFromUnparsed(raw, issue));
      this.failBeforeResponse(error);
      return;
    }
    const h = this.responseHead!;
    this.ex.appendResponse(this.capture.unconsumed(this.responseHeadEnd + this.responseBodyLength));
    this.ex.setResponse(
      recordFromHead(h, this.responseBase, this.responseBodyLength, undefined, [issue]),
      h.statusCode,
    );
    this.release(false);
    this.end(error, false);
    this.client.destroy();
  }

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

  private failBeforeResponse(error: WirelensError): void {
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

  private release(reusable: boolean): void {
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

  private end(error: WirelensError | null, keepAlive: boolean): void {
    if (this.done) return;
    this.flushClient(); // before the client connection may be ended
    this.done = true;
    this.stopFirstByteWait();
    if (error) this.ex.fail(error);
    else this.ex.finish();
    this.client.done(keepAlive);
  }
}
