/**
 * Moving logs aside instead of deleting them: `clear()` archives the whole log, recovery
 * keeps a torn tail for inspection. Plus a lock file so two running Wirelens processes
 * never append to the same log.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { BODIES_FILE, RECORDS_FILE } from './log-format';
import { STORE_ERROR_CODES, StoreError } from './store-error';

export const ARCHIVE_DIR = 'archive';
const LOCK_FILE = 'lock';

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Moves records.ndjson and bodies.bin to `archive/<time>/`, keeping the newest `keep`. */
export function archiveLog(captureDir: string, keep: number): string {
  const archiveRoot = path.join(captureDir, ARCHIVE_DIR);
  mkdirSync(archiveRoot, { recursive: true, mode: 0o700 });
  let target = path.join(archiveRoot, stamp());
  for (let n = 2; existsSync(target); n++) target = path.join(archiveRoot, `${stamp()}-${n}`);
  mkdirSync(target, { mode: 0o700 });
  for (const name of [RECORDS_FILE, BODIES_FILE]) {
    const from = path.join(captureDir, name);
    if (existsSync(from)) renameSync(from, path.join(target, name));
  }
  pruneArchives(archiveRoot, keep);
  return target;
}

function pruneArchives(archiveRoot: string, keep: number): void {
  if (!Number.isFinite(keep)) return;
  const dirs = readdirSync(archiveRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{4}-\d\d-\d\dT/.test(d.name))
    .map((d) => d.name)
    .sort(); // ISO timestamps sort by time
  for (const name of dirs.slice(0, Math.max(0, dirs.length - Math.max(0, keep)))) {
    rmSync(path.join(archiveRoot, name), { recursive: true, force: true });
  }
}

/** Copies the torn bytes at the end of records.ndjson to `archive/torn-<time>.ndjson`. */
export function saveTornTail(
  captureDir: string,
  recordsPath: string,
  from: number,
  length: number,
): void {
  const archiveRoot = path.join(captureDir, ARCHIVE_DIR);
  mkdirSync(archiveRoot, { recursive: true, mode: 0o700 });
  const fd = openSync(recordsPath, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, from);
    writeFileSync(path.join(archiveRoot, `torn-${stamp()}.ndjson`), buf, { mode: 0o600 });
  } finally {
    closeSync(fd);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `capture/lock` (our pid). A lock left by a dead process (crash, kill) is taken over. */
export function acquireLock(captureDir: string): void {
  const lockPath = path.join(captureDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new StoreError(
        STORE_ERROR_CODES.STORE_LOCKED,
        `The capture log in ${captureDir} is in use by another Wirelens (pid ${pid})`,
      );
    }
    rmSync(lockPath, { force: true });
  }
  throw new StoreError(STORE_ERROR_CODES.STORE_LOCKED, `Could not lock ${captureDir}`);
}

export function releaseLock(captureDir: string): void {
  try {
    unlinkSync(path.join(captureDir, LOCK_FILE));
  } catch {
    // Already gone: nothing to release.
  }
}
