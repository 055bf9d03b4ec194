/**
 * The proxy with the real curl against real local origins: methods, body framings,
 * keep-alive, large streamed bodies, and what the store recorded for each.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurl, startHttpOrigin, type HttpOrigin } from '../../../support/origin-server';
import { startHarness, type Harness } from './proxy-harness';

let origin: HttpOrigin;
let h: Harness;
const seen: Array<{ method: string; url: string; headers: string[]; body: Buffer }> = [];

beforeAll(async () => {
  origin = await startHttpOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.rawHeaders,
        body: Buffer.concat(chunks),
      });
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/204') {
        res.writeHead(204).end();
      } else if (url.pathname === '/304') {
        res.writeHead(304, { ETag: '"a"' }).end();
      } else if (url.pathname === '/echo') {
        res
          .writeHead(200, { 'Content-Type': 'application/octet-stream' })
          .end(Buffer.concat(chunks));
      } else if (url.pathname === '/big') {
        // A big body written in 64 KiB pieces, chunked, honouring backpressure.
        const total = Number(url.searchParams.get('bytes'));
        const piece = Buffer.alloc(65536, 'x');
        let sent = 0;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const pump = (): void => {
          while (sent < total) {
            const n = Math.min(piece.length, total - sent);
            sent += n;
            if (!res.write(n === piece.length ? piece : piece.subarray(0, n)))
              return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      } else {
        res
          .writeHead(200, { 'Content-Type': 'text/plain', 'X-Path': url.pathname })
          .end(`hello ${url.pathname}`);
      }
    });
  });
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
  await origin?.close();
});

describe('proxy with curl', () => {
  it('forwards a GET and records request and response', async () => {
    const before = h.ended.length;
    const r = await runCurl(['-x', h.proxyUrl, `${origin.url}/a?q=1`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('hello /a');
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.status).toBe(200);
    expect(ex.method).toBe('GET');
    expect(ex.url).toBe(`${origin.url}/a?q=1`);
    const d = h.detail(ex.id);
    expect(d.summary.state).toBe('complete');
    expect(d.request?.startLine).toBe(`GET ${origin.url}/a?q=1 HTTP/1.1`);
    expect(d.response?.startLine).toBe('HTTP/1.1 200 OK');
    expect(d.timings.connectStart).toBeDefined();
    expect(d.timings.responseEnd).toBeGreaterThanOrEqual(d.timings.responseStart!);
    const origReq = seen.at(-1)!;
    // origin-form on the wire, Host from the absolute-form target, no Proxy-Connection
    expect(origReq.url).toBe('/a?q=1');
    expect(origReq.headers).toContain(`127.0.0.1:${origin.port}`);
    expect(origReq.headers.map((x) => x.toLowerCase())).not.toContain('proxy-connection');
    const rawResp = await h.raw(ex.id, 'response');
    // Recorded as on the wire: the origin's chunked framing is kept.
    expect(rawResp.toString('latin1')).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n8\r\nhello \/a\r\n0\r\n\r\n$/,
    );
  });

  it('forwards POST bodies with Content-Length and chunked framing byte for byte', async () => {
    const before = h.ended.length;
    const body = Buffer.from('a=1&b=' + 'z'.repeat(5000));
    const cl = await runCurl(['-x', h.proxyUrl, '--data-binary', '@-', `${origin.url}/echo`], {
      input: body,
    });
    expect(cl.stdout.equals(body)).toBe(true);
    const ch = await runCurl(
      [
        '-x',
        h.proxyUrl,
        '-H',
        'Transfer-Encoding: chunked',
        '--data-binary',
        '@-',
        `${origin.url}/echo`,
      ],
      { input: body },
    );
    expect(ch.stdout.equals(body)).toBe(true);
    const [a, b] = (await h.waitForEnded(before + 2)).slice(before);
    const rawA = await h.raw(a.id, 'request');
    expect(rawA.subarray(rawA.length - body.length).equals(body)).toBe(true);
    expect(h.detail(a.id).request?.framing).toBe('content-length');
    const rawB = (await h.raw(b.id, 'request')).toString('latin1');
    expect(h.detail(b.id).request?.framing).toBe('chunked');
    expect(rawB).toMatch(/\r\n\r\n[0-9a-fA-F]+\r\n/); // chunk-size lines kept as on the wire
    expect(rawB.endsWith('0\r\n\r\n')).toBe(true);
    expect(h.detail(b.id).request?.complete).toBe(true);
  });

  it('handles HEAD, 204 and 304 (no body) and keeps the connection usable', async () => {
    const before = h.ended.length;
    const r = await runCurl([
      '-x',
      h.proxyUrl,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{num_connects}\\n',
      '-I',
      `${origin.url}/head`,
      '--next',
      '-x',
      h.proxyUrl,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{num_connects}\\n',
      `${origin.url}/204`,
      '--next',
      '-x',
      h.proxyUrl,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{num_connects}\\n',
      `${origin.url}/304`,
    ]);
    expect(r.stdout.toString()).toBe('200 1\n204 0\n304 0\n');
    const ex = (await h.waitForEnded(before + 3)).slice(before);
    expect(ex.map((e) => [e.method, e.status])).toEqual([
      ['HEAD', 200],
      ['GET', 204],
      ['GET', 304],
    ]);
    expect(new Set(ex.map((e) => e.connectionId)).size).toBe(1);
    expect(ex.map((e) => e.indexOnConnection)).toEqual([0, 1, 2]);
  });

  it('keeps the client connection alive: two URLs in one curl call share it (indexes 0 and 1)', async () => {
    const before = h.ended.length;
    const r = await runCurl(['-x', h.proxyUrl, `${origin.url}/one`, `${origin.url}/two`]);
    expect(r.stdout.toString()).toBe('hello /onehello /two');
    const [a, b] = (await h.waitForEnded(before + 2)).slice(before);
    expect(a.connectionId).toBe(b.connectionId);
    expect([a.indexOnConnection, b.indexOnConnection]).toEqual([0, 1]);
    const conn = h.detail(a.id).connection;
    expect(conn?.clientAddress).toMatch(/127\.0\.0\.1/);
    expect(conn?.target).toEqual({ host: '127.0.0.1', port: origin.port, tls: false });
  });

  it('streams a large body through intact (sha256 matches)', async () => {
    const before = h.ended.length;
    const bytes = 20 * 1024 * 1024;
    const r = await runCurl(['-x', h.proxyUrl, `${origin.url}/big?bytes=${bytes}`], {
      timeoutMs: 60_000,
    });
    expect(r.stdout.length).toBe(bytes);
    const expected = createHash('sha256').update(Buffer.alloc(bytes, 'x')).digest('hex');
    expect(createHash('sha256').update(r.stdout).digest('hex')).toBe(expected);
    const [ex] = (await h.waitForEnded(before + 1)).slice(before);
    expect(ex.status).toBe(200);
    expect(ex.responseBytes).toBeGreaterThan(bytes);
    expect(h.detail(ex.id).response?.framing).toBe('chunked');
  });
});
