/**
 * Big body pieces that an exchange does not keep in memory are handed to bodies.bin
 * without a copy and written from libuv's pool (./body-file.ts), while small pieces of
 * other exchanges are queued between them. Reading an exchange while those writes may
 * still be running, and again after a reopen, must give exactly what was appended.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import type { ExchangeWriter } from '../../../../main/core/store/recorder-types';
import { enc } from './message-fixtures';
import { tempDirs } from './store-test-dirs';

const newDir = tempDirs();

function start(store: ExchangeStore): ExchangeWriter {
  const connectionId = store.openConnection({ source: 'proxy', openedAt: Date.now() });
  return store.startExchange({
    connectionId,
    indexOnConnection: 0,
    source: 'proxy',
    scheme: 'http',
    host: '127.0.0.1',
    port: 9000,
    timings: { start: Date.now() },
  });
}

describe('big body pieces written from the pool', () => {
  it('reads back exact bytes while pool writes run, and after a reopen', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    const big = start(store);
    const small = start(store);
    const head = enc('HTTP/1.1 200 OK\r\nContent-Length: 196608\r\n\r\n');
    big.appendResponse(head);
    const expected: number[] = [...head];
    for (let piece = 0; piece < 3; piece++) {
      small.appendResponse(enc(`s${piece}`)); // queued (copied), between the big pieces
      // A fresh buffer per piece, as a socket read gives: handed over without a copy.
      const bytes = new Uint8Array(65536).fill(0x41 + piece);
      big.appendResponse(bytes);
      expected.push(...bytes);
    }
    // Still live, with a pool write started a moment ago: the read writes what is left first.
    expect([...(await store.readRaw(big.id, 'response'))]).toEqual(expected);
    big.finish();
    small.finish();
    const check = async (s: ExchangeStore): Promise<void> => {
      expect([...(await s.readRaw(big.id, 'response'))]).toEqual(expected);
      expect(new TextDecoder().decode(await s.readRaw(small.id, 'response'))).toBe('s0s1s2');
    };
    await new Promise((resolve) => setTimeout(resolve, 20)); // the batch is written
    expect(store.get(big.id)!.summary.state).toBe('complete');
    await check(store);
    await store.close();
    const again = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    await check(again);
    await again.close();
  });
});
