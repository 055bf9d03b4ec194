/**
 * Peeks at the first bytes a client sends after CONNECT: is it a TLS ClientHello, and if
 * so, which server name (SNI) and application protocols (ALPN) does it ask for?
 *
 * Our own small parser (RFC 8446 §4.1.2, RFC 6066 §3, RFC 7301): we only need two
 * extensions, and we must decide before any TLS library touches the bytes. A ClientHello
 * may span several TLS records (large post-quantum key shares), so fragments are joined.
 */

export type ClientHelloPeek =
  /** Not enough bytes yet to decide; read more and call again with all bytes so far. */
  | { kind: 'need-more' }
  /** Not TLS (e.g. plain HTTP after CONNECT): relay it as a tunnel. */
  | { kind: 'not-tls' }
  /** A TLS handshake. `serverName`/`alpn` are absent when the hello does not carry them. */
  | { kind: 'tls'; serverName?: string; alpn: string[]; problem?: string };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
/** A ClientHello larger than this is treated as "TLS without readable SNI". */
const MAX_HELLO_BYTES = 64 * 1024;

export function peekClientHello(bytes: Uint8Array): ClientHelloPeek {
  if (bytes.length === 0) return { kind: 'need-more' };
  if (bytes[0] !== RECORD_HANDSHAKE) return { kind: 'not-tls' };
  if (bytes.length < 2) return { kind: 'need-more' };
  // Record-layer major version is 3 for SSL 3.0 through TLS 1.3.
  if (bytes[1] !== 0x03) return { kind: 'not-tls' };

  const handshake = joinHandshakeRecords(bytes);
  if (handshake === 'need-more') return { kind: 'need-more' };
  if (typeof handshake === 'string') return { kind: 'tls', alpn: [], problem: handshake };
  return parseClientHelloBody(handshake);
}

/** Concatenates handshake-record payloads until the first handshake message is whole. */
function joinHandshakeRecords(bytes: Uint8Array): Uint8Array | 'need-more' | string {
  const parts: Uint8Array[] = [];
  let collected = 0;
  let offset = 0;
  let needed = -1;
  while (needed < 0 || collected < needed) {
    if (offset + 5 > bytes.length) return 'need-more';
    if (bytes[offset] !== RECORD_HANDSHAKE) return 'record is not a handshake record';
    const recordLength = (bytes[offset + 3] << 8) | bytes[offset + 4];
    if (recordLength === 0) return 'empty handshake record';
    if (offset + 5 + recordLength > bytes.length) return 'need-more';
    const payload = bytes.subarray(offset + 5, offset + 5 + recordLength);
    parts.push(payload);
    collected += payload.length;
    offset += 5 + recordLength;
    if (needed < 0 && collected >= 4) {
      const head = concat(parts, 4);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return 'first handshake message is not a ClientHello';
      needed = 4 + ((head[1] << 16) | (head[2] << 8) | head[3]);
      if (needed > MAX_HELLO_BYTES) return 'ClientHello too large to inspect';
    }
  }
  return concat(parts, needed).subarray(4);
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    if (at >= length) break;
    const take = part.subarray(0, length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

/** A bounds-checked reader: any overrun throws, and the caller reports a malformed hello. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset = 0,
    private readonly end = bytes.length,
  ) {}
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++];
  }
  u16(): number {
    this.need(2);
    const value = (this.bytes[this.offset] << 8) | this.bytes[this.offset + 1];
    this.offset += 2;
    return value;
  }
  take(length: number): Uint8Array {
    this.need(length);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  sub(length: number): Reader {
    this.need(length);
    const reader = new Reader(this.bytes, this.offset, this.offset + length);
    this.offset += length;
    return reader;
  }
  get remaining(): number {
    return this.end - this.offset;
  }
  private need(length: number): void {
    if (this.offset + length > this.end) throw new RangeError('truncated ClientHello');
  }
}

const ascii = new TextDecoder('latin1');

function parseClientHelloBody(body: Uint8Array): ClientHelloPeek {
  const result: ClientHelloPeek & { kind: 'tls' } = { kind: 'tls', alpn: [] };
  try {
    const r = new Reader(body);
    r.take(2 + 32); // legacy_version, random
    r.take(r.u8()); // legacy_session_id
    r.take(r.u16()); // cipher_suites
    r.take(r.u8()); // legacy_compression_methods
    if (r.remaining === 0) return result; // no extensions at all (old clients)
    const extensions = r.sub(r.u16());
    while (extensions.remaining > 0) {
      const type = extensions.u16();
      const data = extensions.sub(extensions.u16());
      if (type === EXT_SERVER_NAME) result.serverName = readServerName(data);
      else if (type === EXT_ALPN) result.alpn = readAlpn(data);
    }
  } catch (error) {
    result.problem = (error as Error).message;
  }
  return result;
}

function readServerName(data: Reader): string | undefined {
  const list = data.sub(data.u16());
  while (list.remaining > 0) {
    const nameType = list.u8();
    const name = list.take(list.u16());
    if (nameType === 0) return ascii.decode(name); // host_name
  }
  return undefined;
}

function readAlpn(data: Reader): string[] {
  const list = data.sub(data.u16());
  const protocols: string[] = [];
  while (list.remaining > 0) protocols.push(ascii.decode(list.take(list.u8())));
  return protocols;
}
