/**
 * Child process for the SIGKILL test: records exchanges continuously into the data
 * folder given as argv[2] and prints `done <id>` once each one is reported complete by the
 * store (its update event, which the store sends only after the end record was written).
 * Leaves some exchanges in flight at all times so the kill always interrupts some.
 */
import { ExchangeStore } from '../../../../main/core/store/exchange-store';
import { recordExchange } from './message-fixtures';

const dir = process.argv[2];
const store = await ExchangeStore.open(dir, { bodyInMemoryLimit: 4096 });
store.subscribe((event) => {
  if (event.type !== 'exchanges-updated' && event.type !== 'exchanges-added') return;
  for (const item of event.items)
    if (item.state === 'complete') process.stdout.write(`done ${item.id}\n`);
});
// One exchange that never finishes: the kill always finds it in flight.
recordExchange(store, { path: '/never-finished', finish: false });
store.flush();
let n = 0;
const tick = (): void => {
  for (let i = 0; i < 5; i++) {
    n++;
    const body = new Uint8Array(n % 3 === 0 ? 20_000 : 300).fill(48 + (n % 10));
    const { writer } = recordExchange(store, { path: `/n/${n}`, body, finish: false });
    // Finish on a later turn so there is always something in flight.
    setTimeout(() => writer.finish(), 5);
  }
  setTimeout(tick, 2);
};
process.stdout.write('ready\n');
tick();
