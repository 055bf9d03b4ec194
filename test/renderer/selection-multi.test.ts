import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useExchangesStore } from '../../renderer/src/stores/exchanges-store';
import { useSelectionStore } from '../../renderer/src/stores/selection-store';
import { fakeClient, summary, type FakeClient } from './fake-client';

let client: FakeClient;
const focusedDetails: number[] = [];

beforeEach(async () => {
  setActivePinia(createPinia());
  focusedDetails.length = 0;
  client = fakeClient({
    getExchange: async (id) => {
      focusedDetails.push(id);
      return null;
    },
  });
  client.stored = [1, 2, 3, 4, 5, 6].map((id) => summary(id, { method: id % 2 ? 'GET' : 'POST' }));
  client.listFilter = (s, f) => !f || s.method === f;
  setInspectorClient(client);
  await useExchangesStore().start();
});

const ids = () => [...useSelectionStore().selectedIds].sort((a, b) => a - b);

describe('selection store: multi-select', () => {
  it('starts empty; a plain select holds just the focused id', async () => {
    const selection = useSelectionStore();
    expect(selection.selectionCount).toBe(0);
    await selection.select(3);
    expect(ids()).toEqual([3]);
    expect(selection.selectedId).toBe(3);
    expect(selection.selectionCount).toBe(1);
    await selection.select(null);
    expect(selection.selectionCount).toBe(0);
  });

  it('toggles single rows; the focus follows the click and the detail shows it', async () => {
    const selection = useSelectionStore();
    await selection.select(2);
    await selection.toggle(5);
    expect(ids()).toEqual([2, 5]);
    expect(selection.selectedId).toBe(5);
    expect(focusedDetails).toEqual([2, 5]);
    await selection.toggle(4);
    // Removing the focused row moves the focus to the most recently added one left.
    await selection.toggle(4);
    expect(ids()).toEqual([2, 5]);
    expect(selection.selectedId).toBe(5);
    // Removing an unfocused row keeps the focus.
    await selection.toggle(2);
    expect(ids()).toEqual([5]);
    expect(selection.selectedId).toBe(5);
    await selection.toggle(5);
    expect(selection.selectionCount).toBe(0);
    expect(selection.selectedId).toBeNull();
  });

  it('extends a range from the anchor, in either direction, replacing the last range', async () => {
    const selection = useSelectionStore();
    await selection.select(2);
    await selection.extendTo(4);
    expect(ids()).toEqual([2, 3, 4]);
    expect(selection.selectedId).toBe(4);
    await selection.extendTo(1);
    expect(ids()).toEqual([1, 2]);
    expect(selection.selectedId).toBe(1);
    // Ctrl+click sets a new anchor.
    await selection.toggle(5);
    await selection.extendTo(6);
    expect(ids()).toEqual([5, 6]);
  });

  it('selects all listed (filtered) rows and collapses back to the focused one', async () => {
    const exchanges = useExchangesStore();
    const selection = useSelectionStore();
    await exchanges.setFilter('POST');
    await selection.selectAll();
    expect(ids()).toEqual([2, 4, 6]);
    // Nothing was focused: the newest listed row is.
    expect(selection.selectedId).toBe(6);
    await selection.select(4);
    await selection.selectAll();
    expect(selection.selectedId).toBe(4);
    selection.collapseToFocused();
    expect(ids()).toEqual([4]);
    expect(selection.selectedIdList()).toEqual([4]);
  });

  it('drops selected rows that a new filter hides, but keeps the focused one', async () => {
    const exchanges = useExchangesStore();
    const selection = useSelectionStore();
    await selection.selectAll();
    await selection.focus(3);
    expect(selection.selectionCount).toBe(6);
    await exchanges.setFilter('POST');
    expect(selection.selectedIdList()).toEqual([2, 3, 4, 6]);
  });

  it('forgets everything but the focus when the store is cleared', async () => {
    const exchanges = useExchangesStore();
    const selection = useSelectionStore();
    await selection.select(1);
    await selection.extendTo(3);
    client.emit({ type: 'exchanges-cleared' });
    exchanges.flushNow();
    expect(selection.selectedIdList()).toEqual([3]);
  });
});
