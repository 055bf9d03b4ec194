/**
 * Fuzz run through the proxy: thousands of seeded random and mutated requests, each split
 * across several writes. Every case must end (answer or close) within the time bound; after
 * each batch the proxy still serves a normal request and its memory has not grown without
 * bound; Node's own strict parser at the origin never sees a request it cannot parse.
 * Reproduce with WIRELENS_FUZZ_SEED=<seed>; run longer with WIRELENS_FUZZ_CASES=<n>.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../main/core/proxy/proxy-harness';
import { rawExchange } from '../support/origin-server';
import { makeCase, rng, validRequests, type FuzzCase } from './fuzz-cases';
import { targetsOnly } from './fuzz-safety';

const SEED = Number(process.env.WIRELENS_FUZZ_SEED ?? 20261126);
const CASES = Number(process.env.WIRELENS_FUZZ_CASES ?? 2000);
const BATCH = 250;
const CONCURRENCY = 25;

let h: Harness;
let origin: http.Server;
let originPort = 0;
const originParseErrors: string[] = [];

beforeAll(async () => {
  origin = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
    req.on('error', () => undefined);
  });
  origin.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Closing mid-message is the proxy cutting a bad body short: allowed. A parse error is
    // not — except an unknown method: any token is a valid method (RFC 9110 §9.1), llhttp
    // only knows a fixed list, so a mutated `GEU` is valid HTTP that Node happens to refuse.
    const tolerated = ['HPE_INVALID_EOF_STATE', 'HPE_INVALID_METHOD'];
    if (error.code?.startsWith('HPE_') && !tolerated.includes(error.code)) {
      const raw = (error as { rawPacket?: Buffer }).rawPacket?.toString('latin1') ?? '';
      originParseErrors.push(
        `${error.code}: ${error.message} ${JSON.stringify(raw.slice(0, 300))}`,
      );
    }
    socket.destroy();
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originPort = (origin.address() as net.AddressInfo).port;
  h = await startHarness({ limits: { headTimeoutMs: 5_000, maxHeadBytes: 16_384 } });
});

afterAll(async () => {
  await h?.close();
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve));
});

/** Writes the case in its splits, half-closes, and resolves when the proxy closes. */
function play(port: number, c: FuzzCase): Promise<'closed' | 'hung'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('hung');
    }, 15_000);
    socket.on('connect', async () => {
      let at = 0;
      for (const n of c.splits) {
        if (socket.destroyed) break;
        socket.write(c.bytes.subarray(at, at + n));
        at += n;
        await new Promise((r) => setImmediate(r));
      }
      if (!socket.destroyed) socket.end();
    });
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

describe(`fuzz through the proxy (seed ${SEED}, ${CASES} cases)`, () => {
  it('never hangs, never forwards what it cannot parse, keeps serving, memory bounded', async () => {
    const next = rng(SEED);
    const allowed = [`127.0.0.1:${originPort}`, `127.0.0.1:${h.port}`];
    const seeds = validRequests(`127.0.0.1:${originPort}`);
    const rss: number[] = [];
    let sent = 0;
    let skipped = 0;
    for (let done = 0; done < CASES; done += BATCH) {
      const batch: FuzzCase[] = [];
      while (batch.length < Math.min(BATCH, CASES - done)) {
        const c = makeCase(next, seeds);
        if (targetsOnly(c.bytes, allowed)) batch.push(c);
        else skipped++;
      }
      for (let i = 0; i < batch.length; i += CONCURRENCY) {
        const results = await Promise.all(
          batch.slice(i, i + CONCURRENCY).map((c) => play(h.port, c)),
        );
        const hung = results.findIndex((r) => r === 'hung');
        const bad = batch[i + hung];
        expect(
          hung,
          `seed ${SEED}: case ${done + i + hung} (${bad?.kind}) hung: ${JSON.stringify(bad?.bytes.toString('latin1'))}`,
        ).toBe(-1);
      }
      sent += batch.length;
      expect(originParseErrors, `seed ${SEED}: the origin got unparseable bytes`).toEqual([]);
      const normal = await rawExchange(
        h.port,
        `GET http://127.0.0.1:${originPort}/health HTTP/1.1\r\nHost: x\r\n\r\n`,
        { until: (b) => b.includes('\r\n\r\nok') },
      );
      expect(normal.text, `seed ${SEED}: proxy stopped serving after ${sent} cases`).toMatch(
        /^HTTP\/1\.1 200/,
      );
      rss.push(process.memoryUsage().rss);
    }
    // Stored exchanges keep summaries and small bodies by design; growth past this would be a leak.
    const growthMiB = (rss[rss.length - 1] - rss[0]) / 2 ** 20;
    expect(growthMiB, `seed ${SEED}: RSS grew ${growthMiB.toFixed(1)} MiB`).toBeLessThan(150);
    console.log(
      `fuzz: seed ${SEED}, ${sent} cases sent, ${skipped} skipped (non-loopback target), RSS growth ${growthMiB.toFixed(1)} MiB`,
    );
  }, 600_000);
});
