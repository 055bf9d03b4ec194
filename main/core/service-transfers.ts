/**
 * The inspector service's file jobs: HAR export and import, saving and opening capture
 * files — each run as a job (./service-jobs.ts: progress events, cancel) over transfer
 * files (./service-files.ts: uploads in, written files out, by id, never by path).
 *
 * What a cancel leaves:
 * - export HAR / save capture: nothing (the half-written file is removed);
 * - import HAR: the exchanges imported so far stay, and the result and the job-ended
 *   message say how many of how many (each is complete on its own; nothing is rolled back);
 * - open capture: nothing, if cancelled while unpacking (the current session is untouched);
 *   after that the swap is not cancellable (it is a few renames and the list replay).
 */
import { readFile } from 'node:fs/promises';
import type {
  ExportHarQuery,
  ExportResult,
  ImportHarInput,
  ImportResult,
  JobOptions,
  OpenCaptureResult,
  TransferFile,
} from '../../shared/api/inspector-api';
import { invalidArgument, notAvailable } from './service-errors';
import type { TransferFiles } from './service-files';
import type { JobContext, JobRunner } from './service-jobs';
import type { ServiceParts } from './service-parts';
import type { StoreSwitch } from './service-store-switch';

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function checkIds(ids: unknown): number[] | undefined {
  if (ids === undefined || ids === null) return undefined;
  if (!Array.isArray(ids) || ids.some((id) => !Number.isSafeInteger(id) || id < 0)) {
    throw invalidArgument('ids must be a list of exchange ids.');
  }
  return ids as number[];
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

export class ServiceTransfers {
  private opening = false;

  constructor(
    private readonly parts: ServiceParts,
    private readonly store: () => StoreSwitch,
    private readonly files: TransferFiles,
    private readonly jobs: JobRunner,
  ) {}

  exportHar(query: ExportHarQuery): Promise<ExportResult> {
    const exportHar = this.parts.exportHar;
    if (!exportHar) throw notAvailable('HAR export');
    const q = query ?? {};
    const ids = checkIds(q.ids);
    const filter = typeof q.filter === 'string' ? q.filter : undefined;
    return this.jobs.run(
      'export-har',
      q.jobId,
      async (job) => {
        const hooks = { onProgress: job.phase('Exporting', 'exchanges'), signal: job.signal };
        if (!q.toFile) {
          return exportHar(this.store().inner, { ids, filter, path: q.path }, hooks);
        }
        const out = this.files.reserveOutgoing(`wirelens-${stamp()}.har`);
        try {
          const result = await exportHar(
            this.store().inner,
            { ids, filter, path: out.file },
            hooks,
          );
          const { file: _path, ...file } = this.files.describe(out.fileId, 'outgoing');
          return { count: result.count, file };
        } catch (error) {
          await this.files.release(out.fileId);
          throw error;
        }
      },
      (result) => ({ message: `Exported ${plural(result.count, 'exchange')} as HAR.` }),
    );
  }

  importHar(input: ImportHarInput): Promise<ImportResult> {
    const importHar = this.parts.importHar;
    if (!importHar) throw notAvailable('HAR import');
    const given = input ?? {};
    if (typeof given.text !== 'string' && given.fileId === undefined) {
      throw invalidArgument('importHar needs text or an uploaded fileId.');
    }
    if (given.text !== undefined && typeof given.text !== 'string') {
      throw invalidArgument('text must be text.');
    }
    const source = given.fileId !== undefined ? this.files.pathOf(given.fileId, 'upload') : null;
    const name = typeof given.name === 'string' ? given.name : 'the HAR file';
    return this.jobs.run(
      'import-har',
      given.jobId,
      async (job) => {
        try {
          job.progress('Reading the file', 0, 1, 'entries');
          const text = source ? await readFile(source, 'utf8') : given.text!;
          return await importHar(
            this.store().inner,
            { text },
            { onProgress: job.phase('Importing', 'entries'), signal: job.signal },
          );
        } finally {
          if (given.fileId !== undefined) await this.files.release(String(given.fileId));
        }
      },
      (r) => ({ message: importMessage(r, name), cancelled: r.cancelled }),
    );
  }

  saveCapture(options?: JobOptions): Promise<TransferFile & { count: number }> {
    if (!this.parts.saveCapture) throw notAvailable('Saving capture files');
    return this.jobs.run(
      'save-capture',
      options?.jobId,
      async (job) => {
        const count = this.store().size ?? 0;
        const out = this.files.reserveOutgoing(`wirelens-${stamp()}.wlcap`);
        try {
          await this.saveTo(out.file, job);
          const { file: _path, ...file } = this.files.describe(out.fileId, 'outgoing');
          return { ...file, count };
        } catch (error) {
          await this.files.release(out.fileId);
          throw error;
        }
      },
      (r) => ({ message: `Saved ${plural(r.count, 'exchange')} as a capture file.` }),
    );
  }

  /** Saves to a path chosen on this machine (Electron's native dialog, CLI). Not in the contract. */
  saveCaptureTo(file: string, jobId?: string): Promise<{ path: string; bytes: number }> {
    if (!this.parts.saveCapture) throw notAvailable('Saving capture files');
    return this.jobs.run(
      'save-capture',
      jobId,
      (job) => this.saveTo(file, job),
      (r) => ({ message: `Saved the capture to ${r.path}.` }),
    );
  }

  openCapture(input: JobOptions & { fileId: string }): Promise<OpenCaptureResult> {
    const file = this.files.pathOf(input?.fileId, 'upload');
    return this.openFrom(file, input.jobId).finally(() => this.files.release(input.fileId));
  }

  /** Opens a capture file at a path on this machine (Electron's native dialog). */
  openFrom(file: string, jobId?: string): Promise<OpenCaptureResult> {
    const replaceCapture = this.parts.replaceCapture;
    if (!replaceCapture) throw notAvailable('Opening capture files');
    // Two opens at once would each archive and replace the same live log.
    if (this.opening) throw invalidArgument('Another capture is being opened; wait for it.');
    this.opening = true;
    return this.jobs
      .run(
        'open-capture',
        jobId,
        async (job) => {
          const current = this.store();
          const replaced = await replaceCapture(current.inner, file, {
            onProgress: job.phase('Unpacking', 'bytes'),
            signal: job.signal,
            onLoadProgress: job.phase('Loading the list', 'bytes'),
          });
          // Every UI reloads its list on this job's `job-ended` (a snapshot of the new
          // session; an `exchanges-cleared` here would be replayed after that snapshot).
          current.replace(replaced.store);
          if (replaced.failed) throw replaced.failed;
          const count = replaced.store.size ?? (await replaced.store.list({ limit: 0 })).total;
          return { count, archivedTo: replaced.archivedTo, warnings: replaced.warnings };
        },
        (r) => ({
          message:
            `Opened ${plural(r.count, 'exchange')}.` +
            (r.archivedTo ? ` The previous session was archived to ${r.archivedTo}.` : ''),
        }),
      )
      .finally(() => {
        this.opening = false;
      });
  }

  private saveTo(file: string, job: JobContext): Promise<{ path: string; bytes: number }> {
    return this.parts.saveCapture!(this.store().inner, file, {
      onProgress: job.phase('Saving', 'bytes'),
      signal: job.signal,
    });
  }
}

/** "Imported 1,200 of 5,000 entries from x.har; skipped 3." in plain words. */
export function importMessage(r: ImportResult, name: string): string {
  const skipped = r.skipped.length
    ? `; skipped ${plural(r.skipped.length, 'entry', 'entries')}`
    : '';
  if (r.cancelled) {
    const total = r.total ?? r.imported + r.skipped.length;
    return (
      `Import of ${name} cancelled after ${(r.imported + r.skipped.length).toLocaleString('en-US')} ` +
      `of ${plural(total, 'entry', 'entries')}; the ${plural(r.imported, 'exchange')} imported ` +
      `so far were kept${skipped}.`
    );
  }
  return `Imported ${plural(r.imported, 'exchange')} from ${name}${skipped}.`;
}
