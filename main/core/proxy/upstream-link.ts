/**
 * How exchanges and the pool listen to an upstream socket and a response parser.
 * Each socket gets one set of listeners for its whole life (module-level functions) that
 * dispatch to whoever holds it now: the exchange using it, the pool while it is idle, or
 * nobody. Adding and removing listeners and closures per exchange was a measurable cost
 * (under tsx's keepNames every named closure is also a defineProperty call).
 */
import type { Duplex } from 'node:stream';
import { HttpParser } from '../../../shared/http/http-parser';
import type { MessageEnd, ParsedHead, ParserEvents } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';
import type { ForwardExchange } from './forward-exchange';
import { StreamCapture } from './stream-capture';

/** Whoever currently holds an upstream socket. */
export interface UpstreamHandler {
  onUpstreamData(chunk: Buffer): void;
  onUpstreamDrain(): void;
  onUpstreamEnd(): void;
  upstreamGone(error?: Error): void;
  onStall(): void;
}

export interface ClientDrainHandler {
  onClientDrain(): void;
}

const HANDLER = Symbol('wirelens.upstream-handler');
const DRAIN = Symbol('wirelens.client-drain');
const WIRED = Symbol('wirelens.wired');
type Held = {
  [HANDLER]?: UpstreamHandler | null;
  [DRAIN]?: ClientDrainHandler | null;
  [WIRED]?: boolean;
};

function upData(this: Held, chunk: Buffer): void {
  this[HANDLER]?.onUpstreamData(chunk);
}
function upDrain(this: Held): void {
  this[HANDLER]?.onUpstreamDrain();
}
function upEnd(this: Held): void {
  this[HANDLER]?.onUpstreamEnd();
}
function upError(this: Held, error: Error): void {
  // Always listened to: an error on a socket nobody holds must not crash the process.
  this[HANDLER]?.upstreamGone(error);
}
function upClose(this: Held): void {
  this[HANDLER]?.upstreamGone();
}
function upTimeout(this: Held): void {
  this[HANDLER]?.onStall();
}
function clientDrain(this: Held): void {
  this[DRAIN]?.onClientDrain();
}

/** Routes the socket's events to `handler` (null: nobody; events are ignored). */
export function holdUpstream(socket: Duplex, handler: UpstreamHandler | null): void {
  const held = socket as Duplex & Held;
  held[HANDLER] = handler;
  if (held[WIRED]) return;
  held[WIRED] = true;
  socket.on('data', upData);
  socket.on('drain', upDrain);
  socket.on('end', upEnd);
  socket.on('error', upError);
  socket.on('close', upClose);
  socket.on('timeout', upTimeout);
}

/** Routes the client socket's 'drain' to `handler` (the exchange streaming to it). */
export function holdClientDrain(client: Duplex, handler: ClientDrainHandler | null): void {
  const held = client as Duplex & Held;
  held[DRAIN] = handler;
  if (held[WIRED]) return;
  held[WIRED] = true;
  client.on('drain', clientDrain);
}

/** The response parser's events, forwarded to the exchange (a class: no per-exchange closures). */
export class ResponseEvents implements ParserEvents {
  /** null while the connection idles in the pool: it must not keep the last exchange alive. */
  constructor(public x: ForwardExchange | null) {}
  onHead(head: ParsedHead, offset: number): void {
    this.x?.onResponseHead(head, offset);
  }
  onBody(raw: Uint8Array): void {
    this.x?.onResponseBody(raw);
  }
  onMessageEnd(end: MessageEnd): void {
    this.x?.onResponseEnd(end);
  }
  onError(issue: ParseIssue, offset: number): void {
    this.x?.onResponseError(issue, offset);
  }
  onTunnelData(data: Uint8Array): void {
    this.x?.onTunnelDown(data);
  }
}

const PARSER = Symbol('wirelens.response-parser');
/** What an upstream connection keeps across the exchanges it serves. */
export interface ResponseReader {
  parser: HttpParser;
  events: ResponseEvents;
  /** The received bytes of the response head being read (started over per exchange). */
  capture: StreamCapture;
}
type WithParser = { [PARSER]?: ResponseReader };

/**
 * The upstream connection's strict response parser (and its capture), its events now
 * going to `x`. One per connection, kept with the socket across pooled exchanges (the
 * parser is paused at each response end and counts stream offsets on), instead of new
 * ones per exchange.
 */
export function responseReaderFor(
  socket: Duplex,
  limits: { maxHeadBytes: number; maxHeaderCount: number },
  x: ForwardExchange,
): ResponseReader {
  const held = socket as Duplex & WithParser;
  const kept = held[PARSER];
  if (kept) {
    kept.events.x = x;
    kept.parser.resume();
    kept.capture.reset(kept.parser.offset);
    return kept;
  }
  const { maxHeadBytes, maxHeaderCount } = limits;
  const options = { kind: 'response', mode: 'strict', maxHeadBytes, maxHeaderCount } as const;
  const events = new ResponseEvents(x);
  const reader = { parser: new HttpParser(options, events), events, capture: new StreamCapture() };
  held[PARSER] = reader;
  return reader;
}

/**
 * The connection goes idle: its kept parser lets go of the exchange that used it last,
 * and its capture of the last chunk received.
 */
export function releaseParser(socket: Duplex): void {
  const kept = (socket as Duplex & WithParser)[PARSER];
  if (!kept) return;
  kept.events.x = null;
  kept.capture.reset(kept.parser.offset);
}
