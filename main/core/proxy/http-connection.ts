/**
 * Serves HTTP/1.1 on one client connection (a plain socket, or a decrypted TLS socket
 * inside an intercepted CONNECT): parses requests strictly, one exchange at a time in
 * order (pipelined requests wait, parser and socket paused, until the previous response
 * is done), and hands CONNECT over to a tunnel or to the interceptor.
 */
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import { HttpParser } from '../../../shared/http/http-parser';
import type { MessageEnd, ParsedHead } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';
import type { ClientSide, ExchangeDriver } from './client-side';
import { handleConnect } from './connect-handler';
import type { ConnectionContext, ConnectionHandle } from './connection-context';
import { clientIssueText, statusForClientIssue } from './error-status';
import { recordFromHead, recordUnparsedRequest, TrackedExchange } from './exchange-record';
import { ForwardExchange } from './forward-exchange';
import { TargetResolver } from './request-target';
import { SelfAnswer } from './self-answer';
import { StreamCapture } from './stream-capture';
import { syntheticResponse } from './synthetic-response';
import { nowMs as now } from '../clock';

/**
 * Serves HTTP/1.1 on `socket` until it closes. Any duplex works; in practice a
 * `net.Socket` or a `tls.TLSSocket` (both have the socket API used here: timeouts, pause).
 */
export function serveHttpConnection(socket: Duplex, ctx: ConnectionContext): ConnectionHandle {
  return new HttpConnection(socket as net.Socket, ctx);
}

class HttpConnection implements ConnectionHandle, ClientSide {
  private readonly parser: HttpParser;
  private readonly capture = new StreamCapture();
  private readonly targets: TargetResolver;
  private index = 0;
  private current: ExchangeDriver | null = null;
  private headEnd = 0;
  /** Body bytes of the current request handed on (and recorded) so far. */
  private bodySeen = 0;
  private messageStartedAt: number | null = null;
  /** A message started and its head has not been parsed yet (the head timeout applies). */
  private headPending = false;
  /** Armed only when a head is still incomplete after the chunk it started in. */
  private headTimer: NodeJS.Timeout | undefined;
  /** After `done(false)`: destroys a socket the client does not close (see done). */
  private lingerTimer: NodeJS.Timeout | undefined;
  private pauses = new Set<string>();
  private closing = false;
  private connect: {
    head: ParsedHead;
    bytes: Uint8Array;
    index: number;
    tail: Uint8Array[];
  } | null = null;
  private upstreamNoted = false;
  /** The client half-closed (sent FIN): answer what is in flight, then close. */
  private clientEnded = false;
  private pendingHead: { ex: TrackedExchange; head: ParsedHead } | null = null;
  /** The current request asked for an upgrade: the parser now hands over tunnel bytes. */
  private upgrading = false;
  private readonly listeners: Array<[string, (...args: never[]) => void]> = [];
  readonly closed: Promise<void>;

  constructor(
    readonly socket: net.Socket,
    private readonly ctx: ConnectionContext,
  ) {
    const limits = ctx.runtime.limits;
    this.targets = new TargetResolver(ctx);
    this.parser = new HttpParser(
      {
        kind: 'request',
        mode: 'strict',
        maxHeadBytes: limits.maxHeadBytes,
        maxHeaderCount: limits.maxHeaderCount,
      },
      {
        onHead: (h, off) => this.onHead(h, off),
        onBody: (raw) => {
          this.bodySeen += raw.length;
          this.current?.requestBody(raw);
        },
        onMessageEnd: (end) => this.onMessageEnd(end),
        onError: (issue, off) => this.onParseError(issue, off),
        onTunnelData: (data) => this.onTunnelData(data),
      },
    );
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.listen('data', (chunk: Buffer) => this.onData(chunk));
    this.listen('end', () => this.onClientEnd());
    this.listen('error', () => undefined); // 'close' follows and does the work
    this.listen('close', () => this.onClose());
    this.listen('timeout', () => {
      if (this.idle) socket.destroy();
    });
    socket.setTimeout(limits.idleTimeoutMs);
  }

  private listen(event: string, fn: (...args: never[]) => void): void {
    this.socket.on(event, fn as (...args: unknown[]) => void);
    this.listeners.push([event, fn]);
  }

  get idle(): boolean {
    return this.current === null && this.connect === null && this.messageStartedAt === null;
  }

  // --- ClientSide ---------------------------------------------------------------------

  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || !this.socket.writable) return true;
    return this.socket.write(bytes);
  }

  pause(reason: string): void {
    this.pauses.add(reason);
    this.socket.pause();
  }

  resume(reason: string): void {
    if (!this.pauses.delete(reason)) return; // not paused for this reason
    if (this.pauses.size === 0 && !this.socket.destroyed) this.socket.resume();
  }

  done(keepAlive: boolean): void {
    this.current = null;
    if (!keepAlive || this.closing || this.clientEnded) {
      this.closing = true;
      this.socket.end();
      // A client that never reads must not keep a half-closed socket forever. Cleared on
      // close, so a closed connection (socket, parser, buffers) is not held for 5 s.
      this.lingerTimer = setTimeout(() => this.socket.destroy(), 5_000).unref();
      return;
    }
    // Nothing received beyond this request (the usual keep-alive case): ready at once.
    if (!this.parser.holdsInput) return this.nextRequest();
    // The next, pipelined request is buffered: parsed outside the current call stack.
    setImmediate(() => this.nextRequest());
  }

  private nextRequest(): void {
    if (this.socket.destroyed) return;
    this.parser.resume();
    this.flushPendingHead();
    // Read again unless the parser stopped at another complete (pipelined) request.
    if (!this.parser.paused && this.pauses.has('pipeline')) this.resume('pipeline');
  }

  destroy(): void {
    this.socket.destroy();
  }

  noteUpstream(target: { host: string; port: number; tls: boolean }, remoteAddress: string): void {
    if (this.upstreamNoted) return;
    this.upstreamNoted = true;
    const { host, port, tls } = target; // (not the pool's key the object may carry)
    try {
      this.ctx.runtime.recorder.updateConnection(this.ctx.connectionId, {
        target: { host, port, tls },
        remoteAddress,
      });
    } catch {
      // recording problems never stop traffic
    }
  }

  // --- ConnectionHandle ---------------------------------------------------------------

  closeWhenIdle(): void {
    this.closing = true;
    if (this.idle) this.socket.end();
  }

  // --- parsing ------------------------------------------------------------------------

  private onClientEnd(): void {
    this.clientEnded = true;
    this.parser.end();
    // Requests still buffered (pipelined) or in flight are answered first; done() closes.
    if (this.idle && !this.parser.paused && !this.socket.destroyed) this.socket.end();
  }

  private onData(chunk: Buffer): void {
    if (this.messageStartedAt === null && this.current === null) {
      this.messageStartedAt = now();
      this.headPending = true;
    }
    this.capture.add(chunk);
    this.parser.push(chunk);
    this.capture.afterPush();
    this.flushPendingHead();
    // Most heads arrive whole: a timer is armed only for one still incomplete, due the
    // head timeout after its first byte.
    if (this.headPending && this.headTimer === undefined) this.armHeadTimer();
    if (this.parser.paused && !this.pauses.has('pipeline')) this.pause('pipeline');
    if (this.connect) this.startTunnel();
  }

  private armHeadTimer(): void {
    const ms = this.ctx.runtime.limits.headTimeoutMs;
    const left = ms - (now() - (this.messageStartedAt ?? now()));
    this.headTimer = setTimeout(() => this.onHeadTimeout(ms), Math.max(0, left));
  }

  /** The head arrived (or failed, or the connection closed): no head timeout any more. */
  private stopHeadTimer(): void {
    this.headPending = false;
    if (this.headTimer === undefined) return;
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  private flushPendingHead(): void {
    const p = this.pendingHead;
    if (!p) return;
    this.pendingHead = null;
    if (!p.ex.ended) p.ex.setRequest(recordFromHead(p.head, 0, 0));
  }

  private newExchange(scheme: string, host: string, port: number): TrackedExchange {
    const runtime = this.ctx.runtime;
    return new TrackedExchange(
      runtime.recorder,
      {
        connectionId: this.ctx.connectionId,
        indexOnConnection: this.index++,
        source: 'proxy',
        scheme,
        host,
        port,
        timings: { start: this.messageStartedAt ?? now() },
      },
      runtime.onExchangeEnd,
    );
  }

  private onHead(h: ParsedHead, off: number): void {
    this.stopHeadTimer();
    const bytes = this.capture.slice(off, off + h.headLength);
    this.capture.headDone(off + h.headLength);
    this.headEnd = off + h.headLength;
    this.bodySeen = 0;
    if (h.method === 'CONNECT') {
      this.connect = { head: h, bytes, index: this.index, tail: [] };
      return;
    }
    const resolved = this.targets.resolve(h.target ?? '', h.headers);
    if (typeof resolved === 'string') {
      const issue: ParseIssue = {
        code: 'INVALID_TARGET',
        message: resolved,
        offset: h.spans.startLine.start,
      };
      const ex = this.newExchange(
        this.ctx.scheme,
        this.ctx.connectTarget?.host ?? '',
        this.ctx.connectTarget?.port ?? 0,
      );
      ex.method = h.method ?? '';
      ex.url = h.target ?? '';
      ex.appendRequest(bytes);
      ex.setRequest(recordFromHead(h, 0, 0, undefined, [issue]));
      this.refuse(ex, 400, `Wirelens cannot forward this request: ${resolved}.\n`, resolved);
      return;
    }
    const target = resolved.target;
    const ex = this.newExchange(target.scheme, target.host, target.port);
    ex.method = h.method ?? '';
    ex.url = resolved.url;
    ex.appendRequest(bytes);
    // The head record waits until this chunk is parsed: a request without a body ends in
    // the same chunk and then one (final) record is enough.
    this.pendingHead = { ex, head: h };
    if (this.ctx.runtime.isSelf(target.host, target.port)) {
      this.current = new SelfAnswer(this, ex, h);
      return;
    }
    this.upgrading = h.upgrade;
    const fwd = new ForwardExchange(this, this.ctx.runtime, ex, h, bytes, resolved, h.upgrade);
    this.current = fwd;
    fwd.start();
  }

  private onMessageEnd(end: MessageEnd): void {
    this.messageStartedAt = null;
    this.pendingHead = null;
    this.capture.messageDone(this.headEnd + end.wireBodyLength);
    if (this.connect) return;
    const current = this.current;
    current?.requestEnd(end.wireBodyLength, end.trailers);
    // After an upgrade request the client's bytes are tunnel data: keep them flowing.
    if (this.upgrading) return;
    // Pipelining: the next request waits until this response is done. Only the parser
    // stops here; the socket is paused if more bytes actually arrive meanwhile (onData),
    // which saves a stop/start of reading on every ordinary keep-alive request.
    if (this.current !== null && !this.parser.paused) this.parser.pause();
  }

  private onTunnelData(data: Uint8Array): void {
    if (this.connect) this.connect.tail.push(Buffer.from(data));
    else this.current?.tunnelUp(data);
  }

  private onParseError(issue: ParseIssue, off: number): void {
    this.stopHeadTimer();
    const message = `${issue.code}: ${issue.message} (at byte ${issue.offset})`;
    if (this.current) {
      // The head was forwarded already; the body is broken. Record what follows the body
      // bytes already recorded (they passed through onBody), so no byte is kept twice.
      const rest = this.capture.unconsumed(this.headEnd + this.bodySeen);
      this.current.clientBodyError(message, rest);
      return;
    }
    const raw = this.capture.unconsumed(off);
    if (raw.length === 0 && issue.code === 'INCOMPLETE_MESSAGE') return; // clean close between requests
    const host = this.ctx.connectTarget?.host ?? '';
    const ex = this.newExchange(this.ctx.scheme, host, this.ctx.connectTarget?.port ?? 0);
    recordUnparsedRequest(ex, raw, issue);
    if (issue.code === 'INCOMPLETE_MESSAGE') {
      ex.fail({
        code: ERROR_CODES.CLIENT_ABORTED,
        message: `the client closed the connection mid-request: ${message}`,
      });
      this.messageStartedAt = null;
      return;
    }
    this.refuse(ex, statusForClientIssue(issue), clientIssueText(issue), message);
  }

  private onHeadTimeout(ms: number): void {
    this.headTimer = undefined;
    this.headPending = false;
    if (this.current || this.socket.destroyed) return;
    // Nothing more is read from this client: its EOF must not record the same bytes again.
    this.parser.pause();
    const raw = this.capture.from(this.capture.heldFrom);
    const ex = this.newExchange(
      this.ctx.scheme,
      this.ctx.connectTarget?.host ?? '',
      this.ctx.connectTarget?.port ?? 0,
    );
    const message = `the request head was not complete after ${ms} ms`;
    recordUnparsedRequest(ex, raw, { code: 'HEAD_TIMEOUT', message, offset: raw.length });
    ex.fail({ code: ERROR_CODES.CLIENT_TIMEOUT, message });
    this.messageStartedAt = null;
    const page = syntheticResponse(408, `Wirelens: ${message}.\n`, { close: true });
    this.write(page.bytes);
    this.done(false);
  }

  /** Answers with an error page, records the failure, closes (the stream is out of sync). */
  private refuse(ex: TrackedExchange, status: number, text: string, message: string): void {
    this.parser.pause();
    this.messageStartedAt = null;
    const page = syntheticResponse(status, text, { close: true });
    this.write(page.bytes);
    ex.fail({ code: ERROR_CODES.CLIENT_PARSE_ERROR, message });
    this.done(false);
  }

  private startTunnel(): void {
    const c = this.connect!;
    this.socket.pause();
    for (const [event, fn] of this.listeners) {
      if (event !== 'close') this.socket.removeListener(event, fn as (...args: unknown[]) => void);
    }
    this.socket.setTimeout(0);
    this.socket.on('error', () => undefined);
    this.index = c.index + 1;
    handleConnect(this.socket, this.ctx, {
      head: c.head,
      headBytes: c.bytes,
      tail: Buffer.concat(c.tail),
      exchange: this.newExchangeAt(c.index),
    });
  }

  private newExchangeAt(
    index: number,
  ): (scheme: string, host: string, port: number) => TrackedExchange {
    return (scheme, host, port) => {
      const saved = this.index;
      this.index = index;
      const ex = this.newExchange(scheme, host, port);
      this.index = saved;
      return ex;
    };
  }

  private onClose(): void {
    this.stopHeadTimer();
    clearTimeout(this.lingerTimer);
    this.current?.clientClosed();
    this.current = null;
  }
}
