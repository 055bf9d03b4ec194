/**
 * Files the service holds for the UI (TransferFile in shared/api/inspector-api.ts): uploads
 * a transport wrote (web mode: `POST /api/files`; Electron: a file the user picked) and
 * files a job wrote for the user to take (HAR export, saved capture). They live in
 * `<data folder>/transfers/` under random ids, so a caller can name a file only by an id
 * the service gave out — never by a path. Uploads are consumed by the job that reads
 * them, outgoing files once delivered; either goes after an hour without use; the whole
 * folder is emptied on first use and on close.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ERROR_CODES, type TransferFile } from '../../shared/api/inspector-api';
import { ServiceError } from './service-errors';

export const TRANSFERS_DIR = 'transfers';
const TTL_MS = 60 * 60 * 1000;

export type TransferDirection = 'upload' | 'outgoing';

interface Held {
  file: string;
  name: string;
  direction: TransferDirection;
  /** Set for files the service did not write (Electron: a path the user picked). */
  external: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** `report.har` stays; anything that could leave a folder or upset a header does not. */
export function safeFileName(name: string, fallback: string): string {
  const base = path.basename(String(name ?? '')).replace(/[^\w.\- ()+,@]+/g, '_');
  return base.replace(/^\.+/, '').slice(0, 120) || fallback;
}

export class TransferFiles {
  private readonly held = new Map<string, Held>();
  private ready = false;

  /** Nothing touches the disk until the first file is reserved. */
  constructor(readonly dir: string) {}

  /** A new file for a transport to write an upload into; `commit` once it is complete. */
  reserveUpload(name: string): { fileId: string; file: string } {
    return this.reserve(name, 'upload', 'upload.bin');
  }

  /** Registers a file the user picked in a native dialog (Electron); it is never deleted. */
  adoptUpload(file: string): TransferFile {
    const fileId = createFileId();
    this.held.set(fileId, { file, name: path.basename(file), direction: 'upload', external: true });
    return { fileId, name: path.basename(file), bytes: statSync(file).size };
  }

  /** A new file for a job to write; `outgoing(id)` describes it once written. */
  reserveOutgoing(name: string): { fileId: string; file: string } {
    return this.reserve(name, 'outgoing', 'export.bin');
  }

  describe(fileId: string, direction: TransferDirection): TransferFile & { file: string } {
    const held = this.lookup(fileId, direction);
    return { fileId, name: held.name, bytes: statSync(held.file).size, file: held.file };
  }

  /** The path behind an id the service gave out for this direction; NOT_FOUND otherwise. */
  pathOf(fileId: unknown, direction: TransferDirection): string {
    return this.lookup(fileId, direction).file;
  }

  /** Forgets the id and deletes the file (unless the user picked it). */
  async release(fileId: string): Promise<void> {
    const held = this.held.get(fileId);
    if (!held) return;
    this.held.delete(fileId);
    if (held.timer) clearTimeout(held.timer);
    if (!held.external) await rm(held.file, { force: true });
  }

  /** Deletes everything held (service shutdown). */
  close(): void {
    for (const held of this.held.values()) if (held.timer) clearTimeout(held.timer);
    this.held.clear();
    if (this.ready && existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
    this.ready = false;
  }

  private reserve(
    name: string,
    direction: TransferDirection,
    fallback: string,
  ): { fileId: string; file: string } {
    if (!this.ready) {
      // Left over from a run that did not close cleanly: nobody holds their ids any more.
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.ready = true;
    }
    const fileId = createFileId();
    const file = path.join(this.dir, `${direction}-${fileId}`);
    const held: Held = { file, name: safeFileName(name, fallback), direction, external: false };
    this.held.set(fileId, held);
    this.touch(fileId, held);
    return { fileId, file };
  }

  /** Not used for an hour (never imported, never downloaded): gone. Every use restarts it. */
  private touch(fileId: string, held: Held): void {
    if (held.external) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = setTimeout(() => void this.release(fileId), TTL_MS);
    held.timer.unref?.();
  }

  private lookup(fileId: unknown, direction: TransferDirection): Held {
    const held = typeof fileId === 'string' ? this.held.get(fileId) : undefined;
    if (!held || held.direction !== direction) {
      throw new ServiceError(
        ERROR_CODES.NOT_FOUND,
        `No ${direction === 'upload' ? 'uploaded' : 'exported'} file with that id (it may have expired).`,
      );
    }
    this.touch(fileId as string, held);
    return held;
  }
}

/** 128 random bits, URL-safe. */
export function createFileId(): string {
  return randomBytes(16).toString('base64url');
}
