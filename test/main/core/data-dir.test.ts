import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickDataDir, platformDataDir, resolveDataDir } from '../../../main/core/data-dir';

const root = mkdtempSync(path.join(os.tmpdir(), 'wirelens-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('data folder', () => {
  it('prefers --data-dir, then WIRELENS_DATA_DIR, then the platform folder', () => {
    const env = { WIRELENS_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' };
    expect(pickDataDir({ dataDir: '/from/flag', env })).toBe('/from/flag');
    expect(pickDataDir({ env })).toBe('/from/env');
    expect(pickDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' })).toBe(
      '/xdg/Wirelens',
    );
  });

  it('knows each platform user data folder', () => {
    expect(platformDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Wirelens');
    expect(platformDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Wirelens',
    );
    expect(platformDataDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Wirelens',
    );
    expect(
      platformDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\Wirelens');
  });

  it('creates the folder private to the user (0700)', () => {
    const dir = resolveDataDir({ dataDir: path.join(root, 'a', 'b') });
    expect(dir).toBe(path.join(root, 'a', 'b'));
    expect(statSync(dir).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is a clear error when the path is a file', () => {
    const file = path.join(root, 'file');
    writeFileSync(file, 'x');
    expect(() => resolveDataDir({ dataDir: file })).toThrow(
      expect.objectContaining({ code: 'DATA_DIR_INVALID' }),
    );
    expect(() => resolveDataDir({ dataDir: path.join(file, 'sub') })).toThrow(
      expect.objectContaining({ code: 'DATA_DIR_INVALID' }),
    );
  });
});
