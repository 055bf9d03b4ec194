/**
 * Multi-selection over the exchange list as pure set arithmetic: which ids a Ctrl/Cmd+click,
 * a Shift range or Select all leaves selected. The selection store holds the result; the
 * list (ascending ids, holes while the snapshot loads) is passed in, never copied.
 */
import { indexIn, type Rows } from '../lib/row-index';

export const NO_IDS: ReadonlySet<number> = Object.freeze(new Set<number>());

/** The ids of the rows between two ids (both ends included, either order); [] if one is not listed. */
export function idsBetween(list: Rows, from: number, to: number): Set<number> {
  const a = indexIn(list, from);
  const b = indexIn(list, to);
  const out = new Set<number>();
  if (a === -1 || b === -1) return out;
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
    const row = list[i];
    if (row) out.add(row.id);
  }
  return out;
}

/** Every listed id (holes skipped). */
export function allIds(list: Rows): Set<number> {
  const out = new Set<number>();
  for (const row of list) if (row) out.add(row.id);
  return out;
}

/** The ids still listed, plus `keep` (the focused row stays selected even when filtered out). */
export function stillListed(
  ids: ReadonlySet<number>,
  list: Rows,
  keep: number | null,
): ReadonlySet<number> {
  const out = new Set<number>();
  for (const id of ids) if (id === keep || indexIn(list, id) !== -1) out.add(id);
  return out.size === ids.size ? ids : out;
}
