/**
 * How an exchange listens to its upstream socket and response parser.
 * Socket listeners are module-level functions that find their exchange through a symbol
 * on the socket, instead of closures made per exchange: under tsx (keepNames) every named
 * closure costs a defineProperty call, and these run for every exchange.
 */
import type { Duplex } from 'node:stream';
import type { MessageEnd, ParsedHead, ParserEvents } from '../../../shared/http/parser-types';
import type { ParseIssue } from '../../../shared/model/exchange';
import type { ForwardExchange } from './forward-exchange';

const OWNER = Symbol('wirelens.forward-exchange');
type Owned = { [OWNER]?: ForwardExchange | null };

function upData(this: Owned, chunk: Buffer): void {
  this[OWNER]?.onUpstreamData(chunk);
}
function upDrain(this: Owned): void {
  this[OWNER]?.onUpstreamDrain();
}
function upEnd(this: Owned): void {
  this[OWNER]?.onUpstreamEnd();
}
function upError(this: Owned, error: Error): void {
  this[OWNER]?.upstreamGone(error);
}
function upClose(this: Owned): void {
  this[OWNER]?.upstreamGone();
}
function upTimeout(this: Owned): void {
  this[OWNER]?.onStall();
}
function clientDrain(this: Owned): void {
  this[OWNER]?.onClientDrain();
}

export function attachUpstream(socket: Duplex, client: Duplex, owner: ForwardExchange): void {
  (socket as Owned)[OWNER] = owner;
  (client as Owned)[OWNER] = owner;
  socket.on('data', upData);
  socket.on('drain', upDrain);
  socket.on('end', upEnd);
  socket.on('error', upError);
  socket.on('close', upClose);
  socket.on('timeout', upTimeout);
  client.on('drain', clientDrain);
}

export function detachUpstream(socket: Duplex, client: Duplex): void {
  (socket as Owned)[OWNER] = null;
  (client as Owned)[OWNER] = null;
  socket.removeListener('data', upData);
  socket.removeListener('drain', upDrain);
  socket.removeListener('end', upEnd);
  socket.removeListener('error', upError);
  socket.removeListener('close', upClose);
  socket.removeListener('timeout', upTimeout);
  client.removeListener('drain', clientDrain);
}

/** The response parser's events, forwarded to the exchange (a class: no per-exchange closures). */
export class ResponseEvents implements ParserEvents {
  constructor(private readonly x: ForwardExchange) {}
  onHead(head: ParsedHead, offset: number): void {
    this.x.onResponseHead(head, offset);
  }
  onBody(raw: Uint8Array): void {
    this.x.onResponseBody(raw);
  }
  onMessageEnd(end: MessageEnd): void {
    this.x.onResponseEnd(end);
  }
  onError(issue: ParseIssue, offset: number): void {
    this.x.onResponseError(issue, offset);
  }
  onTunnelData(data: Uint8Array): void {
    this.x.onTunnelDown(data);
  }
}
