/**
 * CONNECT: the client asks for a raw tunnel to host:port. With HTTPS interception
 * installed, the proxy answers `200` and hands the socket over; otherwise (and for the
 * interceptor's pass-through cases) it is a blind tunnel: connect first (so a failure can
 * still be a 502 page), answer `200`, relay bytes, record it as a `tunnel` exchange.
 */
import type net from 'node:net';
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { ParsedHead } from '../../../shared/http/parser-types';
import type { ConnectionContext, ConnectTarget } from './connection-context';
import { asWirelensError, statusForUpstreamError, upstreamErrorText } from './error-status';
import { recordFromHead, type TrackedExchange } from './exchange-record';
import { splitAuthority } from './request-target';
import { connectEstablished, syntheticResponse } from './synthetic-response';
import { relayTunnel } from './tunnel';
import { connectUpstream } from './upstream-connect';

export interface ConnectStart {
  head: ParsedHead;
  headBytes: Uint8Array;
  /** Bytes after the CONNECT head already read from the client. */
  tail: Uint8Array;
  exchange(scheme: string, host: string, port: number): TrackedExchange;
}

const NO_END = { wireBodyLength: 0, payloadLength: 0, trailers: [], warnings: [] };

export function handleConnect(
  socket: net.Socket,
  ctx: ConnectionContext,
  start: ConnectStart,
): void {
  const runtime = ctx.runtime;
  const authority = start.head.target ?? '';
  const where = splitAuthority(authority, null);
  const ex = start.exchange('tunnel', where?.host ?? '', where?.port ?? 0);
  ex.method = 'CONNECT';
  ex.url = authority;
  ex.appendRequest(start.headBytes);
  ex.setRequest(recordFromHead(start.head, 0, 0, NO_END));
  ex.mark('requestEnd');
  const refuse = (status: number, text: string, code: string): void => {
    const page = syntheticResponse(status, text, { close: true });
    ex.appendResponse(page.bytes);
    ex.setResponse(page.record, status);
    ex.fail({ code, message: text.trim() });
    socket.end(page.bytes);
  };
  if (!where) {
    refuse(
      400,
      `Wirelens: CONNECT needs a host:port target, got "${authority}".\n`,
      ERROR_CODES.CLIENT_PARSE_ERROR,
    );
    return;
  }
  if (runtime.isSelf(where.host, where.port)) {
    refuse(
      400,
      'This is the Wirelens proxy. A tunnel to the proxy itself would loop.\n',
      ERROR_CODES.INVALID_ARGUMENT,
    );
    return;
  }
  const established = (): void => {
    const ok = connectEstablished();
    ex.mark('responseStart');
    ex.appendResponse(ok.bytes);
    ex.setResponse(ok.record, 200);
    ex.setState('tunnel');
    socket.write(ok.bytes);
  };
  if (runtime.onConnect) {
    established();
    let relayed = false;
    runtime.onConnect(
      {
        socket,
        target: where,
        head: start.tail,
        connectionId: ctx.connectionId,
        exchange: ex,
        relayBlind: () => {
          if (relayed) return;
          relayed = true;
          void blindTunnel(socket, ctx, where, start.tail, ex, true);
        },
      },
      runtime,
    );
    return;
  }
  void blindTunnel(socket, ctx, where, start.tail, ex, false, established, refuse);
}

/** Connects to the target and relays; `answered` = the 200 was already sent. */
async function blindTunnel(
  socket: net.Socket,
  ctx: ConnectionContext,
  target: ConnectTarget,
  tail: Uint8Array,
  ex: TrackedExchange,
  answered: boolean,
  established?: () => void,
  refuse?: (status: number, text: string, code: string) => void,
): Promise<void> {
  let upstream;
  try {
    upstream = await connectUpstream(
      { host: target.host, port: target.port, tls: false },
      {
        timeoutMs: ctx.runtime.limits.upstreamConnectTimeoutMs,
        insecure: false,
        mark: (n) => ex.mark(n),
      },
    );
  } catch (error) {
    const failure = asWirelensError(error, ERROR_CODES.UPSTREAM_CONNECT_FAILED);
    if (!answered && refuse) {
      refuse(
        statusForUpstreamError(failure),
        upstreamErrorText(failure, `${target.host}:${target.port}`),
        failure.code,
      );
      ex.fail(failure);
    } else {
      ex.fail(failure);
      socket.destroy();
    }
    return;
  }
  if (socket.destroyed) {
    upstream.socket.destroy();
    ex.fail({
      code: ERROR_CODES.CLIENT_ABORTED,
      message: 'the client closed the connection before the tunnel was open',
    });
    return;
  }
  if (!answered) established?.();
  const result = await relayTunnel(socket, upstream.socket, {
    head: tail,
    onBytes: (up, down) => ex.setTunnelBytes(up, down),
  });
  ex.setTunnelBytes(result.bytesUp, result.bytesDown);
  ex.mark('responseEnd');
  ex.finish();
}
