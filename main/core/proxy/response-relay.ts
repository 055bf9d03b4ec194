/**
 * The response half of a forwarded exchange (ForwardExchange, ./forward-exchange.ts,
 * extends this): the upstream's response parsed strictly, recorded as it passes and
 * streamed to the client — interim (1xx) responses, a 101 switch to a tunnel, the pieces
 * of one upstream chunk gathered into one client write, and the upstream's reading paused
 * while the client or the store lags. Connecting, the request and how the exchange ends
 * are the subclass's.
 */
import type { HttpMessageParser, MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { ParseIssue, WirelensError } from '../../../shared/model/exchange';
import type { ClientSide } from './client-side';
import type { ProxyRuntime } from './connection-context';
import { responseIssueError } from './error-status';
import {
  NO_BODY,
  recordFromHead,
  recordFromUnparsed,
  type TrackedExchange,
} from './exchange-record';
import { joinAdjacent } from './adjacent-bytes';
import type { RequestTarget } from './request-target';
import type { StreamCapture } from './stream-capture';
import type { Lease } from './upstream-pool';
import { pauseUntilStoreCaughtUp } from './store-wait';

export abstract class ResponseRelay {
  protected lease: Lease | null = null;
  protected requestComplete = false;
  protected responseSeen = false;
  private responseHead: ParsedHead | null = null;
  private responseBase = 0;
  protected responseBodyLength = 0;
  /** Stream offset (on the upstream connection) where the current response head ends. */
  private responseHeadEnd = 0;
  private informational = false;
  protected headSent = false;
  private responseHeadPending = false;
  protected done = false;
  /** Reading the upstream is paused until the store's disk writes catch up. */
  private storeWait = false;
  protected tunnel: { up: number; down: number } | null = null;
  protected parser: HttpMessageParser | null = null;
  protected capture!: StreamCapture; // set when connected
  /**
   * While a chunk from upstream is parsed, what goes to the client is gathered here: the
   * head and body of a response that arrived in one chunk are adjacent in it, so they
   * leave as one write of one view (no copy, no writev).
   */
  private batching = false;
  private out: Uint8Array | null = null;
  /** The client socket was corked for pieces that were not adjacent. */
  private corked = false;

  constructor(
    protected readonly client: ClientSide,
    protected readonly runtime: ProxyRuntime,
    protected readonly ex: TrackedExchange,
    protected readonly head: ParsedHead,
    protected readonly target: RequestTarget,
    protected readonly upgrade: boolean,
  ) {}

  /** Stops the first-byte deadline (the response started, or the exchange ends). */
  protected abstract stopFirstByteWait(): void;
  /** Lets go of the upstream connection: back to the pool when `reusable`, else closed. */
  protected abstract release(reusable: boolean): void;
  /** Records how the exchange ended and hands the client connection back. */
  protected abstract end(error: WirelensError | null, keepAlive: boolean): void;
  /** Answers the client with an error page (nothing of the response was sent yet). */
  protected abstract failBeforeResponse(error: WirelensError): void;

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
  protected flushClient(): void {
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
    // The client's own `Connection: close` is hop-by-hop and was not forwarded: the origin
    // connection stays good for the next request. An HTTP/1.0 request (forwarded as such,
    // its keep-alive stripped) asked the origin to close it.
    const reusable =
      h.keepAlive &&
      this.head.version !== 'HTTP/1.0' &&
      this.requestComplete &&
      !leftover &&
      !this.upgrade;
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
}
