/**
 * Seeded generation of hostile requests for the fuzz run: mutations of valid requests
 * (flipped bytes, truncations, duplicated/deleted lines, inserted separators, splices)
 * and pure garbage, each with random split points for separate writes.
 */

/** mulberry32: small, fast, good enough to make reproducible cases from one seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validRequests(authority: string): string[] {
  const abs = `http://${authority}`;
  return [
    `GET ${abs}/a?b=c HTTP/1.1\r\nHost: ${authority}\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n`,
    `POST ${abs}/form HTTP/1.1\r\nHost: ${authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\na=1&b=2&c=3`,
    `POST ${abs}/up HTTP/1.1\r\nHost: ${authority}\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n`,
    `GET /origin-form HTTP/1.1\r\nHost: ${authority}\r\nCookie: a=b; c=d\r\nAccept-Encoding: gzip, br\r\n\r\n`,
    `HEAD ${abs}/h HTTP/1.1\r\nHost: ${authority}\r\nConnection: keep-alive\r\n\r\n`,
    `GET ${abs}/1 HTTP/1.1\r\nHost: ${authority}\r\n\r\nGET ${abs}/2 HTTP/1.1\r\nHost: ${authority}\r\n\r\n`,
    `PUT ${abs}/p HTTP/1.0\r\nHost: ${authority}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz`,
    `OPTIONS * HTTP/1.1\r\nHost: ${authority}\r\nMax-Forwards: 0\r\n\r\n`,
  ];
}

const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x3a, 0x3b, 0x2c, 0x7f, 0x80, 0xff, 0x30, 0x66];

export interface FuzzCase {
  bytes: Buffer;
  /** Lengths of the separate writes (sum = bytes.length). */
  splits: number[];
  kind: string;
}

export function makeCase(next: () => number, seeds: string[]): FuzzCase {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const int = (n: number): number => Math.floor(next() * n);
  let bytes = Buffer.from(pick(seeds), 'latin1');
  const kind = pick([
    'flip',
    'truncate',
    'dup-line',
    'del-line',
    'insert',
    'garbage',
    'splice',
    'multi',
  ]);
  const mutate = (k: string): void => {
    switch (k) {
      case 'flip': {
        const b = Buffer.from(bytes);
        for (let i = 0, n = 1 + int(3); i < n && b.length; i++) {
          const at = int(b.length);
          b[at] = next() < 0.5 ? b[at] ^ (1 << int(8)) : pick(INTERESTING);
        }
        bytes = b;
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, int(bytes.length));
        break;
      case 'dup-line':
      case 'del-line': {
        const lines = bytes.toString('latin1').split('\r\n');
        const at = int(lines.length);
        if (k === 'dup-line') lines.splice(at, 0, lines[at]);
        else lines.splice(at, 1);
        bytes = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 'insert': {
        const at = int(bytes.length + 1);
        const extra = Buffer.from(Array.from({ length: 1 + int(4) }, () => pick(INTERESTING)));
        bytes = Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
        break;
      }
      case 'garbage':
        bytes = Buffer.from(Array.from({ length: int(300) }, () => int(256)));
        break;
      case 'splice': {
        const other = Buffer.from(pick(seeds), 'latin1');
        bytes = Buffer.concat([
          bytes.subarray(0, int(bytes.length)),
          other.subarray(int(other.length)),
        ]);
        break;
      }
    }
  };
  if (kind === 'multi')
    for (let i = 0; i < 3; i++) mutate(pick(['flip', 'dup-line', 'insert', 'del-line']));
  else mutate(kind);
  const splits: number[] = [];
  let left = bytes.length;
  while (left > 0) {
    const n = next() < 0.3 ? left : 1 + int(left);
    splits.push(n);
    left -= n;
  }
  return { bytes, splits, kind };
}
