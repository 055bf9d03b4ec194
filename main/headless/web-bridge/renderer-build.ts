/**
 * Makes sure a built renderer exists before the web mode serves it, so `npx wirelens web`
 * works on a fresh clone. Builds when out/renderer is missing or older than the renderer
 * or shared sources. The build goes to a temporary folder that is then renamed into
 * place, and a lock folder keeps two `wirelens web` processes from building at once,
 * so a server already running never sees a half-written folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');
const SOURCE_DIRS = ['renderer', 'shared'].map((d) => join(REPO_ROOT, d));
const LOCK_STALE_MS = 5 * 60_000;

async function newestSourceTime(dir: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSourceTime(full));
    else newest = Math.max(newest, (await stat(full).catch(() => null))?.mtimeMs ?? 0);
  }
  return newest;
}

/** Why a build is needed, or null when out/renderer is up to date. */
export async function buildReason(outDir = RENDERER_OUT): Promise<string | null> {
  const built = await stat(join(outDir, 'index.html')).catch(() => null);
  if (!built) return 'no build of the UI yet';
  // A packaged or source-less install has nothing to compare with: use what is there.
  if (!existsSync(join(REPO_ROOT, 'renderer', 'vite.config.ts'))) return null;
  let newest = 0;
  for (const dir of SOURCE_DIRS) newest = Math.max(newest, await newestSourceTime(dir));
  return newest > built.mtimeMs ? 'the UI sources changed since the last build' : null;
}

async function withLock<T>(lockDir: string, task: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch {
      const info = await stat(lockDir).catch(() => null);
      // A lock left by a killed process must not block forever.
      if (info && Date.now() - info.mtimeMs > LOCK_STALE_MS)
        await rm(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await task();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function runViteBuild(outDir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [
    viteBin,
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(new Error(`building the UI failed (vite exit ${code}):\n${stderr.trim()}`)),
    );
  });
}

/** Builds out/renderer when needed. `log` receives one progress line per step. */
export async function ensureRendererBuild(
  log: (line: string) => void,
  outDir = RENDERER_OUT,
): Promise<void> {
  if (!(await buildReason(outDir))) return;
  await withLock(`${outDir}.lock`, async () => {
    const reason = await buildReason(outDir); // Another process may have just built it.
    if (!reason) return;
    log(`Building the UI (${reason})…`);
    const temp = `${outDir}.tmp-${process.pid}`;
    const old = `${outDir}.old-${process.pid}`;
    try {
      await runViteBuild(temp);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      // A stale UI beats no UI: keep serving the last good build, say why.
      if (!existsSync(join(outDir, 'index.html'))) throw error;
      log(`Warning: ${(error as Error).message}\nServing the previous build of the UI.`);
      return;
    }
    if (existsSync(outDir)) await rename(outDir, old);
    await rename(temp, outDir);
    await rm(old, { recursive: true, force: true });
    log('UI built.');
  });
}
