// Bundles the Electron main process and the preload with esbuild (installed with tsx):
//   main/electron/main.ts    → out/electron/main.cjs
//   main/electron/preload.ts → out/electron/preload.cjs  (one file: sandboxed preloads
//                                                         can only require 'electron')
// and copies the window icon. Run: npm run build:electron
import { build } from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = join(root, 'out', 'electron');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  // Maps for stack traces, without embedding the sources in the package.
  sourcesContent: false,
  logLevel: 'warning',
  external: ['electron'],
};

await mkdir(outDir, { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outDir, 'main.cjs'),
    // Production dependencies ship in the package's node_modules; bundle only our code.
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [join(here, 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    // Everything but electron inlined: the sandboxed preload has no module loader.
    platform: 'browser',
  }),
]);
await cp(join(here, 'assets'), join(outDir, 'assets'), { recursive: true });
console.log('Built out/electron/main.cjs and out/electron/preload.cjs');
