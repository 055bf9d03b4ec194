/** Layout remembered between runs (localStorage); bad or missing data falls back to defaults. */
export interface Layout {
  listWidth: number;
  sidePane: 'inspector' | 'composer';
}

const KEY = 'wirelens.layout';
const DEFAULTS: Layout = { listWidth: 55, sidePane: 'inspector' };

export function loadLayout(): Layout {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Layout>;
    const listWidth =
      typeof saved.listWidth === 'number' && saved.listWidth >= 20 && saved.listWidth <= 80
        ? saved.listWidth
        : DEFAULTS.listWidth;
    const sidePane = saved.sidePane === 'composer' ? 'composer' : 'inspector';
    return { listWidth, sidePane };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveLayout(layout: Layout): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(layout));
  } catch {
    // Storage full or disabled: the layout just is not remembered.
  }
}
