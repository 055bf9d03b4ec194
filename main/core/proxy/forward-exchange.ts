/**
 * One request forwarded upstream and its response streamed back: connect (through the
 * pool), write the rewritten head and stream the body, parse the response strictly,
 * stream it to the client, record both sides as they pass. Failures before the response
 * head reached the client become an error page; after that the client connection is cut,
 * because a half-sent response cannot be repaired.
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import { HttpParser } from '../../../shared/http/http-parser';
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { ParseIssue, WirelensError } from '../../../shared/model/exchange';
import type { ClientSide, ExchangeDriver } from './client-side';
import type { ProxyRuntime } from './connection-context';
import { asWirelensError, statusForUpstreamError, upstreamErrorText } from './error-status';
import { recordFromHead, recordFromUnparsed, type TrackedExchange } from './exchange-record';
import { buildForwardHead } from './forward-head';
import { displayUrl, type RequestTarget } from './request-target';
import { StreamCapture } from './stream-capture';
import type { Lease } from './upstream-pool';
import { syntheticResponse } from './synthetic-response';

export class ForwardExchange implements ExchangeDriver {
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
  private done = false;
  private tunnel: { up: number; down: number } | null = null;
  private retried = false;
  private firstByteTimer: NodeJS.Timeout | undefined;
  private parser: HttpParser | null = null;
  private capture = new StreamCapture();
  private detach: () => void = () => undefined;

  constructor(
    private readonly client: ClientSide,
    private readonly runtime: ProxyRuntime,
    private readonly ex: TrackedExchange,
    private readonly head: ParsedHead,
    private readonly headBytes: Uint8Array,
    private readonly target: RequestTarget,
    private readonly upgrade: boolean,
  ) {}

  start(): void {
    this.connect();
  }

  private connect(): void {
    const t = this.target;
    this.runtime.pool
      .acquire({ host: t.host, port: t.port, tls: t.scheme === 'https' }, (name) =>
        this.ex.mark(name),
      )
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
    this.client.noteUpstream(
      { host: this.target.host, port: this.target.port, tls: this.target.scheme === 'https' },
      lease.remoteAddress,
    );
    this.parser = new HttpParser(
      {
        kind: 'response',
        mode: 'strict',
        maxHeadBytes: this.runtime.limits.maxHeadBytes,
        maxHeaderCount: this.runtime.limits.maxHeaderCount,
      },
      {
        onHead: (h, off) => this.onResponseHead(h, off),
        onBody: (raw) => this.onResponseBody(raw),
        onMessageEnd: (end) => this.onResponseEnd(end),
        onError: (issue, off) => this.onResponseError(issue, off),
        onTunnelData: (data) => this.onTunnelDown(data),
      },
    );
    this.parser.expectResponseTo(this.head.method ?? 'GET');
    const onData = (chunk: Buffer): void => this.onUpstreamData(chunk);
    const onDrain = (): void => this.client.resume('upstream');
    const onEnd = (): void => this.onUpstreamEnd();
    const onError = (error: Error): void => this.upstreamGone(error);
    const onClose = (): void => this.upstreamGone();
    const onTimeout = (): void => this.onStall();
    const onClientDrain = (): void => {
      socket.resume();
    };
    socket.on('data', onData);
    socket.on('drain', onDrain);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('timeout', onTimeout);
    socket.setTimeout(this.runtime.limits.idleTimeoutMs);
    this.client.socket.on('drain', onClientDrain);
    this.detach = () => {
      socket.removeListener('data', onData);
      socket.removeListener('drain', onDrain);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.removeListener('timeout', onTimeout);
      socket.setTimeout(0);
      this.client.socket.removeListener('drain', onClientDrain);
    };
    const t = this.target;
    const forwardHead = buildForwardHead(this.headBytes, this.head, t, this.upgrade);
    socket.write(forwardHead);
    for (const chunk of this.pending) socket.write(chunk);
    this.pending = [];
    this.client.resume('connecting');
    if (this.requestComplete) this.requestWritten();
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
  }

  private requestWritten(): void {
    if (!this.tunnel) this.ex.setState('request-complete');
    this.ex.mark('requestEnd');
    if (!this.responseSeen) {
      const ms = this.runtime.limits.upstreamFirstByteTimeoutMs;
      this.firstByteTimer = setTimeout(() => {
        this.failBeforeResponse({
          code: ERROR_CODES.UPSTREAM_TIMEOUT,
          message: `${this.target.host}:${this.target.port} sent no response within ${ms} ms`,
        });
      }, ms);
    }
  }

  clientBodyError(message: string, rest: Uint8Array): void {
    this.ex.appendRequest(rest);
    const error = { code: ERROR_CODES.CLIENT_PARSE_ERROR, message };
    this.lease?.socket.destroy();
    if (!this.headSent) {
      const page = syntheticResponse(
        400,
        `Wirelens could not parse this request body.\n${message}\n`,
        { close: true },
      );
      this.client.write(page.bytes);
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
    this.end(
      {
        code: ERROR_CODES.CLIENT_ABORTED,
        message: 'the client closed the connection before the response was complete',
      },
      false,
    );
  }

  abort(reason: string): void {
    if (this.done) return;
    this.lease?.socket.destroy();
    if (this.tunnel) return this.endTunnel();
    this.end({ code: ERROR_CODES.INTERNAL, message: reason }, false);
    this.client.destroy();
  }

  // --- response side ------------------------------------------------------------------

  private onUpstreamData(chunk: Buffer): void {
    if (!this.responseSeen) {
      this.responseSeen = true;
      clearTimeout(this.firstByteTimer);
      this.ex.mark('responseStart');
    }
    const parser = this.parser!;
    this.capture.add(chunk);
    // Head and body parts of one chunk leave in one write (writev), not one each.
    const client = this.client.socket;
    client.cork();
    parser.push(chunk);
    client.uncork();
    this.capture.afterPush();
  }

  private onResponseHead(h: ParsedHead, off: number): void {
    const bytes = this.capture.slice(off, off + h.headLength);
    this.capture.headDone(off + h.headLength);
    this.responseHeadEnd = off + h.headLength;
    const status = h.statusCode ?? 0;
    this.ex.appendResponse(bytes);
    if (status >= 100 && status < 200 && status !== 101) {
      this.informational = true;
      this.ex.addInformational(
        recordFromHead(h, this.responseBase, 0, {
          wireBodyLength: 0,
          payloadLength: 0,
          trailers: [],
          warnings: [],
        }),
      );
      this.responseBase += bytes.length;
      this.client.write(bytes);
      return;
    }
    this.responseHead = h;
    this.ex.setResponse(recordFromHead(h, this.responseBase, 0), status);
    this.ex.setState('response-head');
    this.headSent = true;
    this.writeClient(bytes);
    if (status === 101 && this.upgrade) {
      this.tunnel = { up: 0, down: 0 };
      this.ex.setResponse(
        recordFromHead(h, this.responseBase, 0, {
          wireBodyLength: 0,
          payloadLength: 0,
          trailers: [],
          warnings: [],
        }),
        status,
      );
      this.ex.setState('tunnel');
      this.lease?.socket.setTimeout(0);
    }
  }

  private onResponseBody(raw: Uint8Array): void {
    this.ex.appendResponse(raw);
    this.responseBodyLength += raw.length;
    this.writeClient(raw);
  }

  private onTunnelDown(data: Uint8Array): void {
    if (!this.tunnel) return;
    this.tunnel.down += data.length;
    this.writeClient(data);
  }

  private writeClient(bytes: Uint8Array): void {
    if (!this.client.write(bytes)) this.lease?.socket.pause();
  }

  private onResponseEnd(end: MessageEnd): void {
    const h = this.responseHead;
    if (this.informational || !h) {
      this.informational = false;
      this.capture.messageDone(this.responseHeadEnd);
      return;
    }
    if (this.tunnel) return; // 101: the rest is tunnel data
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

  private onResponseError(issue: ParseIssue, off: number): void {
    const where = `${this.target.host}:${this.target.port}`;
    // A message cut short by the origin closing is a reset, not a malformed response.
    const error: WirelensError =
      issue.code === 'INCOMPLETE_MESSAGE'
        ? {
            code: ERROR_CODES.UPSTREAM_RESET,
            message: `${where} closed the connection before the response was complete (${this.responseBodyLength} body bytes received)`,
          }
        : {
            code: ERROR_CODES.UPSTREAM_PARSE_ERROR,
            message: `the response from ${where} could not be parsed: ${issue.code}: ${issue.message} (at byte ${issue.offset})`,
          };
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

  private onUpstreamEnd(): void {
    // Completes a close-delimited body, or reports INCOMPLETE_MESSAGE.
    if (!this.done && this.responseSeen && !this.tunnel) this.parser?.end();
    this.upstreamGone();
  }

  private onStall(): void {
    this.upstreamGone(
      new Error(`no data for ${this.runtime.limits.idleTimeoutMs} ms`),
      ERROR_CODES.UPSTREAM_TIMEOUT,
    );
  }

  private upstreamGone(error?: Error, code: string = ERROR_CODES.UPSTREAM_RESET): void {
    if (this.done) return;
    if (this.tunnel) return this.endTunnel();
    const lease = this.lease;
    if (
      !this.responseSeen &&
      lease?.reused &&
      !this.retried &&
      this.requestBodyLength === 0 &&
      this.requestComplete
    ) {
      // A pooled connection the origin closed while idle: one fresh attempt is safe,
      // nothing of the request body was consumed.
      this.retried = true;
      clearTimeout(this.firstByteTimer);
      this.detach();
      lease.socket.destroy();
      this.lease = null;
      this.capture = new StreamCapture();
      this.connect();
      return;
    }
    const why = error ? `: ${error.message}` : '';
    if (!this.headSent) {
      this.failBeforeResponse({
        code,
        message: `${this.target.host}:${this.target.port} closed the connection before a complete response head${why}`,
      });
      return;
    }
    this.release(false);
    this.end(
      {
        code,
        message: `${this.target.host}:${this.target.port} closed the connection after ${this.responseBodyLength} body bytes, before the response was complete${why}`,
      },
      false,
    );
    this.client.destroy();
  }

  private failBeforeResponse(error: WirelensError): void {
    if (this.done) return;
    this.release(false);
    const status = statusForUpstreamError(error);
    const page = syntheticResponse(status, upstreamErrorText(error, displayUrl(this.target)), {
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
    clearTimeout(this.firstByteTimer);
    this.detach();
    this.detach = () => undefined;
    const lease = this.lease;
    if (!lease) return;
    this.lease = null;
    if (reusable) this.runtime.pool.release(lease);
    else lease.socket.destroy();
  }

  private end(error: WirelensError | null, keepAlive: boolean): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.firstByteTimer);
    if (error) this.ex.fail(error);
    else this.ex.finish();
    this.client.done(keepAlive);
  }
}
