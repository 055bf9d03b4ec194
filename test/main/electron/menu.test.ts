import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuActions } from '../../../main/electron/menu';

function actions(): MenuActions & Record<string, ReturnType<typeof vi.fn>> {
  return {
    openCapture: vi.fn(),
    saveCapture: vi.fn(),
    exportHar: vi.fn(),
    showAbout: vi.fn(),
    showCaCertificate: vi.fn(),
  };
}

function items(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
}

function find(template: MenuItemConstructorOptions[], label: string) {
  return template.find((m) => m.label === label || m.role === label.toLowerCase());
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as unknown as () => void)();
}

describe('application menu', () => {
  it('has File, Edit, View, Help with the expected entries wired to actions', () => {
    const a = actions();
    const template = buildMenuTemplate(a, {
      isMac: false,
      isDevelopment: false,
      appName: 'Wirelens',
    });
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'help']);
    const file = items(find(template, 'File'));
    const byLabel = (label: string) => file.find((i) => i.label === label);
    click(byLabel('Open Capture…'));
    click(byLabel('Save Capture…'));
    click(byLabel('Export HAR…'));
    expect(a.openCapture).toHaveBeenCalledOnce();
    expect(a.saveCapture).toHaveBeenCalledOnce();
    expect(a.exportHar).toHaveBeenCalledOnce();
    const help = items(find(template, 'Help'));
    click(help.find((i) => i.label === 'About Wirelens'));
    click(help.find((i) => i.label === 'CA Certificate Location…'));
    expect(a.showAbout).toHaveBeenCalledOnce();
    expect(a.showCaCertificate).toHaveBeenCalledOnce();
    expect(items(find(template, 'Edit')).map((i) => i.role)).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
  });

  it('offers devtools only in development, reload always', () => {
    const roles = (isDevelopment: boolean) =>
      items(
        buildMenuTemplate(actions(), { isMac: false, isDevelopment, appName: 'Wirelens' }).find(
          (m) => m.label === 'View',
        ),
      ).map((i) => i.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('reload');
  });

  it('adds the app menu on macOS', () => {
    const template = buildMenuTemplate(actions(), {
      isMac: true,
      isDevelopment: false,
      appName: 'Wirelens',
    });
    expect(template[0]).toMatchObject({ role: 'appMenu' });
  });
});
