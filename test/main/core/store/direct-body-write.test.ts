/**
 * Big body pieces that an exchange does not keep in memory are written to bodies.bin at
 * once from the producer's buffer (no copy). The producer may reuse that buffer right
 * after the call, and small queued pieces of other exchanges may be waiting: the bytes
 * read back, before and after a reopen, must still be exactly what was appended.
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

describe('direct writes of big body pieces', () => {
  it('keeps bytes exact when the producer reuses its buffer and small pieces are queued', async () => {
    const dir = newDir();
    const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    const big = start(store);
    const small = start(store);
    const head = enc('HTTP/1.1 200 OK\r\nContent-Length: 196608\r\n\r\n');
    big.appendResponse(head);
    const reused = new Uint8Array(65536);
    const expected: number[] = [...head];
    for (let piece = 0; piece < 3; piece++) {
      small.appendResponse(enc(`s${piece}`)); // queued (copied), between the big pieces
      reused.fill(0x41 + piece);
      big.appendResponse(reused); // written at once; the buffer is overwritten just after
      expected.push(...reused);
    }
    reused.fill(0);
    big.finish();
    small.finish();
    store.flush();
    const check = async (s: ExchangeStore): Promise<void> => {
      expect([...(await s.readRaw(big.id, 'response'))]).toEqual(expected);
      expect(new TextDecoder().decode(await s.readRaw(small.id, 'response'))).toBe('s0s1s2');
    };
    await check(store);
    await store.close();
    const again = await ExchangeStore.open(dir, { bodyInMemoryLimit: 1024 });
    await check(again);
    await again.close();
  });
});
