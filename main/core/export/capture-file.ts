/**
 * Capture files: the store's own log (records.ndjson + bodies.bin, docs/capture-format.md)
 * packed with a small manifest into one ustar archive (`.wlcap`). Saving copies the live
 * log as it is at that moment; opening unpacks into a data folder and opens a store on it,
 * which reads only the records to build the list — bodies stay on disk until asked for.
 */
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ExchangeStore } from '../store/exchange-store';
import { BODIES_FILE, RECORDS_FILE } from '../store/log-format';
import { BLOCK, padding, readTarHeader, tarHeader } from './capture-tar';
import {
  EXPORT_ERROR_CODES,
  ExportError,
  throwIfCancelled,
  type ProgressListener,
} from './export-errors';

export const CAPTURE_FILE_FORMAT = 'wirelens-capture-file';
export const CAPTURE_FILE_VERSION = 1;
export const MANIFEST_NAME = 'wirelens-capture.json';

export interface CaptureJobOptions {
  /** Bytes copied so far of the total. */
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** What saving needs of a store: where its log is, and a way to write out what is pending. */
export interface CaptureSource {
  readonly captureDir: string;
  flush(): void;
  readonly size?: number;
}

/** Length of `file` up to and including its last newline (a torn last line stays out). */
async function completeLinesLength(file: string): Promise<number> {
  const size = statSync(file).size;
  const handle = await open(file, 'r');
  try {
    const buf = new Uint8Array(64 * 1024);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await handle.read(buf, 0, end - start, start);
      const at = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

async function copyRange(
  from: string,
  length: number,
  out: NodeJS.WritableStream,
  progress: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (length === 0) return;
  const input = createReadStream(from, { start: 0, end: length - 1, highWaterMark: 1 << 20 });
  for await (const chunk of input) {
    throwIfCancelled(signal, 'Capture save');
    if (!out.write(chunk as Buffer)) await once(out, 'drain');
    progress((chunk as Buffer).length);
  }
}

/** Saves the store's current capture as one file at `file`. */
export async function saveCapture(
  store: CaptureSource,
  file: string,
  options: CaptureJobOptions = {},
): Promise<{ path: string; bytes: number }> {
  store.flush();
  const records = path.join(store.captureDir, RECORDS_FILE);
  const bodies = path.join(store.captureDir, BODIES_FILE);
  // Bodies before records, as in the log itself: every record copied points at bytes copied.
  const bodiesLength = existsSync(bodies) ? statSync(bodies).size : 0;
  const recordsLength = existsSync(records) ? await completeLinesLength(records) : 0;
  const now = Date.now();
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      format: CAPTURE_FILE_FORMAT,
      version: CAPTURE_FILE_VERSION,
      createdAt: new Date(now).toISOString(),
      exchanges: store.size ?? null,
      files: { [RECORDS_FILE]: recordsLength, [BODIES_FILE]: bodiesLength },
    }) + '\n',
  );
  const total = manifest.length + recordsLength + bodiesLength;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.({ done, total });
  };
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    const write = async (bytes: Uint8Array) => {
      if (!out.write(bytes)) await Promise.race([once(out, 'drain'), failed]);
    };
    const mtime = now / 1000;
    await write(tarHeader(MANIFEST_NAME, manifest.length, mtime));
    await write(manifest);
    await write(new Uint8Array(padding(manifest.length)));
    progress(manifest.length);
    for (const [name, from, length] of [
      [RECORDS_FILE, records, recordsLength],
      [BODIES_FILE, bodies, bodiesLength],
    ] as const) {
      await write(tarHeader(name, length, mtime));
      await Promise.race([copyRange(from, length, out, progress, options.signal), failed]);
      await write(new Uint8Array(padding(length)));
    }
    await write(new Uint8Array(BLOCK * 2)); // end of archive
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(partial, file);
    return { path: file, bytes: statSync(file).size };
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

function invalid(file: string, why: string): ExportError {
  return new ExportError(
    EXPORT_ERROR_CODES.CAPTURE_INVALID,
    `${file} is not a Wirelens capture file: ${why}`,
  );
}

/**
 * Unpacks `file`'s log (records.ndjson + bodies.bin) into `captureDir`, which must not
 * hold a capture yet. Progress counts archive bytes. On failure or cancel the folder is
 * removed again: nothing half-unpacked stays behind.
 */
export async function unpackCapture(
  file: string,
  captureDir: string,
  options: CaptureJobOptions = {},
): Promise<void> {
  if (
    existsSync(path.join(captureDir, RECORDS_FILE)) &&
    statSync(path.join(captureDir, RECORDS_FILE)).size > 0
  ) {
    throw new ExportError(
      EXPORT_ERROR_CODES.CAPTURE_EXISTS,
      `${path.dirname(captureDir)} already holds a capture; open into an empty folder`,
    );
  }
  mkdirSync(captureDir, { recursive: true, mode: 0o700 });
  const total = statSync(file).size;
  const handle = await open(file, 'r');
  const seen = new Set<string>();
  try {
    let at = 0;
    const block = new Uint8Array(BLOCK);
    for (;;) {
      throwIfCancelled(options.signal, 'Capture open');
      const { bytesRead } = await handle.read(block, 0, BLOCK, at);
      if (bytesRead < BLOCK) throw invalid(file, 'archive ends early');
      let header;
      try {
        header = readTarHeader(block);
      } catch (error) {
        throw invalid(file, (error as Error).message);
      }
      if (!header) break;
      at += BLOCK;
      if (seen.size === 0) {
        if (header.name !== MANIFEST_NAME || header.size > 1 << 20)
          throw invalid(file, 'no manifest first');
        const bytes = new Uint8Array(header.size);
        await handle.read(bytes, 0, header.size, at);
        let manifest: { format?: string; version?: number };
        try {
          manifest = JSON.parse(new TextDecoder().decode(bytes)) as typeof manifest;
        } catch {
          throw invalid(file, 'unreadable manifest');
        }
        if (manifest.format !== CAPTURE_FILE_FORMAT)
          throw invalid(file, 'wrong format in manifest');
        if ((manifest.version ?? 0) > CAPTURE_FILE_VERSION)
          throw invalid(file, `version ${manifest.version} is newer than this Wirelens`);
      } else if (header.name === RECORDS_FILE || header.name === BODIES_FILE) {
        const out = createWriteStream(path.join(captureDir, header.name), { mode: 0o600 });
        const input = createReadStream(file, {
          start: at,
          end: at + header.size - 1,
          highWaterMark: 1 << 20,
        });
        let copied = 0;
        if (header.size > 0) {
          for await (const chunk of input) {
            throwIfCancelled(options.signal, 'Capture open');
            if (!out.write(chunk as Buffer)) await once(out, 'drain');
            copied += (chunk as Buffer).length;
            options.onProgress?.({ done: at + copied, total });
          }
        } else input.destroy();
        out.end();
        await once(out, 'finish');
        if (copied !== header.size) throw invalid(file, `${header.name} is cut short`);
      } // Unknown members are skipped (forward compatibility).
      seen.add(header.name);
      at += header.size + padding(header.size);
    }
    if (!seen.has(RECORDS_FILE)) throw invalid(file, `${RECORDS_FILE} is missing`);
  } catch (error) {
    await rm(captureDir, { recursive: true, force: true });
    throw error;
  } finally {
    await handle.close();
  }
  options.onProgress?.({ done: total, total });
}

/**
 * Unpacks `file` into `dataDir` (which must not hold a capture already; default: a new
 * temporary folder) and opens a store on it. Progress counts archive bytes.
 */
export async function openCapture(
  file: string,
  dataDir: string = mkdtempSync(path.join(os.tmpdir(), 'wirelens-opened-')),
  options: CaptureJobOptions = {},
): Promise<ExchangeStore> {
  await unpackCapture(file, path.join(dataDir, 'capture'), options);
  return ExchangeStore.open(dataDir);
}
