/**
 * Checks the packaging configuration without downloading Electron: electron-builder
 * packs the app (`--dir`, Linux layout) around a stub Electron folder, then we read the
 * app.asar it produced. The package must hold the build output and the production
 * dependencies the main process needs — and no sources, tests or benchmarks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureRendererBuild } from '../../main/headless/web-bridge/renderer-build';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string, options?: object): string[];
  extractFile(archive: string, filename: string): Buffer;
};

let work = '';
let archive = '';
let files: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wirelens-pack-'));
  const stub = join(work, 'electron-stub');
  const output = join(work, 'release');
  await run('mkdir', ['-p', stub]);
  // A stand-in for Electron's unpacked distribution: electron-builder copies it and
  // renames the executable; it never runs it.
  await writeFile(join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
  await chmod(join(stub, 'electron'), 0o755);
  await writeFile(join(stub, 'LICENSE'), 'stub');
  await writeFile(join(stub, 'version'), '45.5.0');

  await ensureRendererBuild(() => undefined);
  await run(process.execPath, [join(ROOT, 'main/electron/build.mjs')], {
    cwd: ROOT,
    timeout: 60_000,
  });
  const builder = join(ROOT, 'node_modules/electron-builder/cli.js');
  await run(
    process.execPath,
    [
      builder,
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: ROOT, timeout: 110_000, env: { ...process.env, CI: '1' } },
  );
  archive = join(output, 'linux-unpacked', 'resources', 'app.asar');
  files = asar.listPackage(archive).map((f) => f.replace(/\\/g, '/'));
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('electron-builder package', () => {
  it('contains the bundled main process, preload, icon and the built renderer', () => {
    for (const needed of [
      '/package.json',
      '/out/electron/main.cjs',
      '/out/electron/preload.cjs',
      '/out/electron/assets/icon.png',
      '/out/renderer/index.html',
    ]) {
      expect(files, needed).toContain(needed);
    }
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString());
    expect(pkg.main).toBe('out/electron/main.cjs');
  });

  it('contains no sources, tests, benchmarks, source maps or dev tools', () => {
    const outsideDeps = files.filter(
      (f) => f !== '/node_modules' && !f.startsWith('/node_modules/'),
    );
    for (const f of outsideDeps) {
      expect(f, f).toMatch(/^\/(out\/(electron|renderer)(\/|$)|out$|package\.json$)/);
      expect(f, f).not.toMatch(/\.(ts|vue|map)$/);
    }
    const topLevelDeps = new Set(
      files.map((f) => /^\/node_modules\/((@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean),
    );
    for (const devOnly of [
      'electron',
      'electron-builder',
      'vitest',
      'typescript',
      'vite',
      'tsx',
      'esbuild',
      'vue',
      '@codemirror/view',
      'eslint',
      '@playwright/test',
    ]) {
      expect(topLevelDeps.has(devOnly), devOnly).toBe(false);
    }
  });

  it('holds every package the bundled main process requires', async () => {
    const main = await readFile(join(ROOT, 'out/electron/main.cjs'), 'utf8');
    const required = new Set([...main.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const packages = [...required].filter((r) => !r.startsWith('node:') && r !== 'electron');
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) {
      const base = name.startsWith('@')
        ? name.split('/').slice(0, 2).join('/')
        : name.split('/')[0];
      expect(files, `${name} is required by main.cjs`).toContain(
        `/node_modules/${base}/package.json`,
      );
    }
  });
});
