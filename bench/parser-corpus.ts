/**
 * A corpus of typical browser traffic for the parser benchmark: what Chrome sends for a
 * page and its sub-resources, and what servers answer (cookies, cache headers, chunked).
 */

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const pageGet = [
  'GET /articles/2026/11/http-inspection?utm_source=newsletter&ref=home HTTP/1.1',
  'Host: www.example.com',
  'Connection: keep-alive',
  'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"',
  'sec-ch-ua-mobile: ?0',
  'sec-ch-ua-platform: "Linux"',
  'Upgrade-Insecure-Requests: 1',
  `User-Agent: ${CHROME_UA}`,
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'Sec-Fetch-Site: same-origin',
  'Sec-Fetch-Mode: navigate',
  'Sec-Fetch-Dest: document',
  'Referer: https://www.example.com/',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-US,en;q=0.9,de;q=0.8',
  'Cookie: session=4f9c2a7e1b; theme=dark; _ga=GA1.2.1234567890.1700000000',
];

const assetGet = [
  'GET /static/js/app.3f9a1c.js HTTP/1.1',
  'Host: www.example.com',
  'Connection: keep-alive',
  `User-Agent: ${CHROME_UA}`,
  'Accept: */*',
  'Sec-Fetch-Site: same-origin',
  'Sec-Fetch-Mode: no-cors',
  'Sec-Fetch-Dest: script',
  'Referer: https://www.example.com/articles/2026/11/http-inspection',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-US,en;q=0.9',
  'If-None-Match: "5d8c72a5edda8d6a"',
];

const json = JSON.stringify({
  event: 'page_view',
  page: '/articles/2026/11/http-inspection',
  ts: 1764160000000,
  viewport: { w: 1920, h: 1080 },
  tags: ['http', 'proxy', 'inspector'],
});

const jsonPost = [
  'POST /api/v2/events HTTP/1.1',
  'Host: api.example.com',
  'Connection: keep-alive',
  `Content-Length: ${json.length}`,
  'sec-ch-ua-platform: "Linux"',
  `User-Agent: ${CHROME_UA}`,
  'Content-Type: application/json',
  'Accept: application/json',
  'Origin: https://www.example.com',
  'Sec-Fetch-Site: same-site',
  'Sec-Fetch-Mode: cors',
  'Sec-Fetch-Dest: empty',
  'Referer: https://www.example.com/',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-US,en;q=0.9',
];

const html =
  '<!doctype html><html><head><title>x</title></head><body>' + 'p'.repeat(1400) + '</body></html>';

const pageResponse = [
  'HTTP/1.1 200 OK',
  'Date: Thu, 26 Nov 2026 13:00:00 GMT',
  'Content-Type: text/html; charset=utf-8',
  `Content-Length: ${html.length}`,
  'Connection: keep-alive',
  'Cache-Control: private, max-age=0, must-revalidate',
  'Set-Cookie: session=4f9c2a7e1b; Path=/; HttpOnly; Secure; SameSite=Lax',
  'Set-Cookie: theme=dark; Path=/; Max-Age=31536000',
  'Vary: Accept-Encoding, Cookie',
  'Strict-Transport-Security: max-age=63072000; includeSubDomains; preload',
  'X-Content-Type-Options: nosniff',
  'Server: nginx',
];

const notModified = [
  'HTTP/1.1 304 Not Modified',
  'Date: Thu, 26 Nov 2026 13:00:01 GMT',
  'ETag: "5d8c72a5edda8d6a"',
  'Cache-Control: public, max-age=31536000, immutable',
  'Connection: keep-alive',
  'Server: nginx',
];

const apiChunked = [
  'HTTP/1.1 200 OK',
  'Date: Thu, 26 Nov 2026 13:00:02 GMT',
  'Content-Type: application/json',
  'Transfer-Encoding: chunked',
  'Connection: keep-alive',
  'Cache-Control: no-store',
  'Access-Control-Allow-Origin: https://www.example.com',
  'Access-Control-Allow-Credentials: true',
  'Vary: Origin',
];

function head(lines: string[]): string {
  return lines.join('\r\n') + '\r\n\r\n';
}

function chunked(body: string, size: number): string {
  let out = '';
  for (let i = 0; i < body.length; i += size) {
    const piece = body.slice(i, i + size);
    out += piece.length.toString(16) + '\r\n' + piece + '\r\n';
  }
  return out + '0\r\n\r\n';
}

export interface Corpus {
  name: string;
  kind: 'request' | 'response';
  /** One round of messages, as one pipelined stream. */
  round: string;
  messagesPerRound: number;
}

export const CORPORA: Corpus[] = [
  {
    name: 'request heads (Chrome GETs)',
    kind: 'request',
    round: head(pageGet) + head(assetGet) + head(assetGet),
    messagesPerRound: 3,
  },
  {
    name: 'requests mixed (GETs + JSON POST)',
    kind: 'request',
    round: head(pageGet) + head(assetGet) + head(jsonPost) + json,
    messagesPerRound: 3,
  },
  {
    name: 'response heads (304s)',
    kind: 'response',
    round: head(notModified) + head(notModified),
    messagesPerRound: 2,
  },
  {
    name: 'responses mixed (CL html, 304, chunked json)',
    kind: 'response',
    round: head(pageResponse) + html + head(notModified) + head(apiChunked) + chunked(json, 64),
    messagesPerRound: 3,
  },
];

/** `rounds` copies of a corpus round, as latin1 bytes. */
export function corpusBytes(c: Corpus, rounds: number): Uint8Array {
  const one = Uint8Array.from(c.round, (ch) => ch.charCodeAt(0));
  const out = new Uint8Array(one.length * rounds);
  for (let i = 0; i < rounds; i++) out.set(one, i * one.length);
  return out;
}
