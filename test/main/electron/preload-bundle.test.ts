/**
 * The bundled preload (out/electron/preload.cjs) run the way a sandboxed preload runs:
 * a fresh context whose `require` knows only 'electron'. Proves the bundle is one
 * self-contained file and exposes exactly the contract as `window.wirelens`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { INSPECTOR_METHODS } from '../../../shared/api/inspector-api';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let code = '';

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'main/electron/build.mjs')], {
    cwd: ROOT,
    timeout: 60_000,
  });
  code = await readFile(join(ROOT, 'out/electron/preload.cjs'), 'utf8');
}, 90_000);

describe('the bundled preload', () => {
  it('needs nothing but electron and exposes only the contract', async () => {
    const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, (...a: unknown[]) => unknown>) =>
          exposed.set(name, api),
      },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: 'pong' };
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const requested: string[] = [];
    const sandboxRequire = (name: string) => {
      requested.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require "${name}"`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(requested).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['wirelens', 'wirelensFiles']);
    const api = exposed.get('wirelens')!;
    expect(Object.keys(api).sort()).toEqual([...INSPECTOR_METHODS, 'onEvent'].sort());
    await expect(api.getExchange(3)).resolves.toBe('pong');
    expect(invoked).toEqual([['wirelens:getExchange', 3]]);
  });
});
