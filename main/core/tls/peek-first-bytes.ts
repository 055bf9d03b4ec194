/**
 * Reads the first bytes a client sends inside a CONNECT tunnel, just enough to tell a TLS
 * ClientHello (and its SNI) from anything else, then puts them back on the socket so the
 * next reader (a TLS server socket or a blind relay) sees the stream untouched.
 */
import type net from 'node:net';
import { type ClientHelloPeek, peekClientHello } from './client-hello';

export type FirstBytes =
  | { outcome: 'decided'; peek: Exclude<ClientHelloPeek, { kind: 'need-more' }> }
  /** The client sent nothing for `timeoutMs` (a server-speaks-first protocol, or idle). */
  | { outcome: 'silent' }
  /** The client closed or errored before we could decide. */
  | { outcome: 'closed'; bytes: number };

/** Stop buffering after this much; what is not a hello by then is relayed as it is. */
const MAX_PEEK_BYTES = 70 * 1024;

/**
 * `head` holds bytes already read by the proxy after the CONNECT head; they are looked at
 * but not put back (the caller still owns them). On return, the bytes read here have been
 * unshifted back onto the paused socket, except when the client closed.
 */
export function peekFirstBytes(
  socket: net.Socket,
  head: Uint8Array,
  timeoutMs: number,
): Promise<FirstBytes> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = head.length > 0 ? [Buffer.from(head)] : [];
    let total = head.length;

    const cleanup = (): void => {
      clearTimeout(timer);
      socket.pause();
      socket.removeListener('data', onData);
      socket.removeListener('end', onClosed);
      socket.removeListener('close', onClosed);
      socket.removeListener('error', onClosed);
    };
    const giveBack = (): void => {
      const read = head.length > 0 ? chunks.slice(1) : chunks;
      if (total > head.length) socket.unshift(Buffer.concat(read, total - head.length));
    };
    const decide = (): boolean => {
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
      const peek = total > MAX_PEEK_BYTES ? helloTooLarge() : peekClientHello(all);
      if (peek.kind === 'need-more') return false;
      cleanup();
      giveBack();
      resolve({ outcome: 'decided', peek });
      return true;
    };
    function onData(chunk: Buffer): void {
      chunks.push(chunk);
      total += chunk.length;
      decide();
    }
    function onClosed(): void {
      cleanup();
      resolve({ outcome: 'closed', bytes: total });
    }

    const timer = setTimeout(() => {
      cleanup();
      giveBack();
      resolve({ outcome: 'silent' });
    }, timeoutMs);
    if (total > 0 && decide()) return;
    socket.on('data', onData);
    socket.once('end', onClosed);
    socket.once('close', onClosed);
    socket.once('error', onClosed);
    socket.resume();
  });
}

function helloTooLarge(): ClientHelloPeek {
  return { kind: 'tls', alpn: [], problem: 'no ClientHello within the first 70 KiB' };
}
