/**
 * "Open capture" inside a running app: the session in `storeDir` is replaced by a
 * capture file's, the way Fiddler's or Charles's "Open session" works — but nothing is
 * deleted: the current log is archived exactly as "Clear" archives it
 * (`capture/archive/<time>/`), and only then is the opened log moved in and replayed.
 *
 * Order, so a cancel or a bad file never costs the current session:
 * 1. unpack into a staging folder next to the live log (cancellable; removed on failure);
 * 2. close the current store, archive its log, move the staged log in;
 * 3. open a store on it. If that fails, the opened log is removed and the archived one
 *    moved back, and the old session is reopened.
 */
import { existsSync, renameSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { ExchangeStore } from '../store/exchange-store';
import { archiveLog } from '../store/log-archive';
import { BODIES_FILE, RECORDS_FILE } from '../store/log-format';
import { CAPTURE_DIR, DEFAULTS } from '../store/store-options';
import { unpackCapture, type CaptureJobOptions } from './capture-file';
import { throwIfCancelled } from './export-errors';

export interface ReplaceCaptureOptions extends CaptureJobOptions {
  /** The opened log's replay: bytes of records.ndjson read so far, of the total. */
  onLoadProgress?(progress: { done: number; total: number }): void;
  keepArchives?: number;
}

export interface ReplacedCapture {
  /** The store now on `storeDir`: the opened capture's, or the previous one reopened. */
  store: ExchangeStore;
  /** The folder the previous session was archived to (null when it was put back). */
  archivedTo: string | null;
  warnings: string[];
  /** Set when the opened log could not be used and the previous session was reopened. */
  failed?: unknown;
}

function moveLog(from: string, to: string): void {
  for (const name of [RECORDS_FILE, BODIES_FILE]) {
    const source = path.join(from, name);
    if (existsSync(source)) renameSync(source, path.join(to, name));
  }
}

/**
 * Replaces the session. Rejects (with the current store untouched) only while unpacking;
 * once the current store is closed it always resolves with an open store.
 */
export async function replaceCapture(
  current: { close(): unknown },
  storeDir: string,
  file: string,
  options: ReplaceCaptureOptions = {},
): Promise<ReplacedCapture> {
  const captureDir = path.join(storeDir, CAPTURE_DIR);
  const staging = await mkdtemp(path.join(storeDir, 'opening-'));
  try {
    const staged = path.join(staging, CAPTURE_DIR);
    await unpackCapture(file, staged, options);
    throwIfCancelled(options.signal, 'Capture open');
    await current.close();
    let archivedTo: string | null = null;
    const keepArchives = options.keepArchives ?? DEFAULTS.keepArchives;
    // The store's replay reports its progress (bytes of records.ndjson).
    const storeOptions = {
      keepArchives,
      onProgress: (done: number, total: number) => options.onLoadProgress?.({ done, total }),
    };
    try {
      archivedTo = archiveLog(captureDir, keepArchives);
      moveLog(staged, captureDir);
      const store = await ExchangeStore.open(storeDir, storeOptions);
      return { store, archivedTo, warnings: [...store.recoveryWarnings] };
    } catch (failed) {
      // Put the previous session back where it was and reopen it.
      if (archivedTo) {
        for (const name of [RECORDS_FILE, BODIES_FILE]) {
          await rm(path.join(captureDir, name), { force: true });
        }
        moveLog(archivedTo, captureDir);
        await rm(archivedTo, { recursive: true, force: true });
      }
      const store = await ExchangeStore.open(storeDir, { keepArchives });
      return { store, archivedTo: null, warnings: [], failed };
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
