/**
 * A set of objects that each carry their own place in it (`listSlot`): add and delete in
 * constant time with no hash table. The proxy and the store add and delete an object per
 * exchange; with a `Set`, V8 rehashes the table every few dozen deletions and an old,
 * replaced table keeps pointing at the new one and at the objects it held. Once such a
 * table has been promoted it keeps every later table, and the exchanges in them, alive
 * through young-generation collections: nearly every exchange's objects were promoted
 * and left for a full collection (docs/benchmarks.md, "Capture proxy"). An array that
 * keeps its length about the same never reallocates.
 */
export interface Slotted {
  /**
   * Where a SlotList holds this object, -1 when none does. Only the list sets it, so an
   * object is in one SlotList at a time.
   */
  listSlot: number;
}

export class SlotList<T extends Slotted> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    return item.listSlot >= 0 && this.items[item.listSlot] === item;
  }

  add(item: T): void {
    if (this.has(item)) return;
    item.listSlot = this.items.length;
    this.items.push(item);
  }

  /** Removes `item` (the last item takes its place). */
  delete(item: T): boolean {
    if (!this.has(item)) return false;
    const at = item.listSlot;
    const last = this.items.pop()!;
    if (last !== item) {
      this.items[at] = last;
      last.listSlot = at;
    }
    item.listSlot = -1;
    return true;
  }

  /**
   * Calls `visit` for every item in the list when the call starts; `visit` may delete any
   * item or add new ones (those are not visited).
   */
  forEach(visit: (item: T) => void): void {
    const snapshot = this.items.slice();
    for (const item of snapshot) if (this.has(item)) visit(item);
  }

  clear(): void {
    for (const item of this.items) item.listSlot = -1;
    this.items.length = 0;
  }
}
