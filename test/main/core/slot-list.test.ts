/**
 * SlotList (main/core/slot-list.ts): the set the proxy's deadline sweep and the store's
 * not-yet-logged exchanges use instead of a `Set`, so that adding and deleting an object
 * per exchange never makes V8 rehash a table.
 */
import { describe, expect, it } from 'vitest';
import { SlotList, type Slotted } from '../../../main/core/slot-list';

const item = (name: string): Slotted & { name: string } => ({ name, listSlot: -1 });
const names = (list: SlotList<Slotted & { name: string }>): string[] => {
  const out: string[] = [];
  list.forEach((x) => out.push(x.name));
  return out.sort();
};

describe('SlotList', () => {
  it('adds, finds and deletes items, the last one taking a deleted place', () => {
    const list = new SlotList<Slotted & { name: string }>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    list.add(a);
    list.add(b);
    list.add(c);
    list.add(b); // twice is once
    expect(list.size).toBe(3);
    expect(list.delete(a)).toBe(true);
    expect(list.delete(a)).toBe(false);
    expect(a.listSlot).toBe(-1);
    expect(list.has(a)).toBe(false);
    expect(c.listSlot).toBe(0);
    expect(names(list)).toEqual(['b', 'c']);
    list.delete(c);
    list.delete(b);
    expect(list.size).toBe(0);
    list.add(a);
    expect(names(list)).toEqual(['a']);
  });

  it('does not take an item held by another list for its own', () => {
    const one = new SlotList<Slotted & { name: string }>();
    const two = new SlotList<Slotted & { name: string }>();
    const [a, b] = [item('a'), item('b')];
    one.add(a);
    one.add(b);
    two.add(item('x'));
    expect(two.has(b)).toBe(false);
    expect(two.delete(b)).toBe(false);
    expect(names(one)).toEqual(['a', 'b']);
  });

  it('visits every item present when forEach starts, while the visitor deletes and adds', () => {
    const list = new SlotList<Slotted & { name: string }>();
    const items = Array.from({ length: 10 }, (_, i) => item(`i${i}`));
    for (const x of items) list.add(x);
    const seen: string[] = [];
    list.forEach((x) => {
      seen.push(x.name);
      list.delete(x);
      if (x.name === 'i3') list.delete(items[7]); // deleted before its turn: not visited
      if (x.name === 'i5') list.add(item('late')); // added meanwhile: not visited
    });
    expect(seen.sort()).toEqual(
      items
        .filter((_, i) => i !== 7)
        .map((x) => x.name)
        .sort(),
    );
    expect(names(list)).toEqual(['late']);
  });

  it('clear() forgets every item and frees their places', () => {
    const list = new SlotList<Slotted & { name: string }>();
    const [a, b] = [item('a'), item('b')];
    list.add(a);
    list.add(b);
    list.clear();
    expect(list.size).toBe(0);
    expect([a.listSlot, b.listSlot]).toEqual([-1, -1]);
    list.add(b);
    expect(names(list)).toEqual(['b']);
  });
});
