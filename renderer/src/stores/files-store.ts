/**
 * Files in and out, as long jobs the user can watch and cancel: Export HAR (all, the
 * filtered set, or the selected exchanges), Import HAR, Save capture and Open capture.
 * Uploads and downloads go through the file transport (../api/file-transport.ts); the
 * work itself is a contract call carrying a job id, whose `job-progress` events drive
 * the progress bar and whose `job-ended` message is what the user reads afterwards.
 *
 * Opening a capture replaces the session for every connected window: on its `job-ended`
 * each window drops its selection and reloads the list.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  InspectorEvent,
  JobKind,
  JobProgressEvent,
  TransferFile,
} from '../../../shared/api/inspector-api';
import { fileTransport, type PickedFile } from '../api/file-transport';
import { errorText, inspectorClient } from './client';
import { useExchangesStore } from './exchanges-store';
import { useSelectionStore } from './selection-store';

export type ExportScope = 'all' | 'filtered' | 'selected';

export interface RunningJob {
  jobId: string;
  kind: JobKind;
  /** e.g. "Importing devtools.har". */
  title: string;
  phase: string;
  done: number;
  total: number;
  unit: JobProgressEvent['unit'];
  cancelling: boolean;
}

export interface JobOutcome {
  level: 'info' | 'warning' | 'error';
  text: string;
  /** Per-entry reasons (skipped HAR entries, warnings of an opened capture). */
  details: string[];
}

const KIND_TITLES: Record<JobKind, string> = {
  'export-har': 'Export HAR',
  'import-har': 'Import HAR',
  'save-capture': 'Save capture',
  'open-capture': 'Open capture',
};

let jobCounter = 0;
const newJobId = () => `ui-${Date.now().toString(36)}-${(++jobCounter).toString(36)}`;

export function isCaptureFile(name: string): boolean {
  return /\.wlcap$/i.test(name);
}

export const useFilesStore = defineStore('files', () => {
  const job = shallowRef<RunningJob | null>(null);
  const outcome = ref<JobOutcome | null>(null);
  /** job-ended messages by job id (an event may come before or after the call's reply). */
  const endedMessages = new Map<string, string>();
  /** Ids of jobs shown here that this window did not start. */
  const foreign = new Set<string>();
  let uploadAbort: AbortController | null = null;
  let unsubscribe: (() => void) | null = null;

  function start(): void {
    unsubscribe ??= inspectorClient().onEvent(onEvent);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function onEvent(event: InspectorEvent): void {
    if (event.type === 'job-progress') {
      const j = job.value;
      const { jobId, kind, phase, done, total, unit } = event;
      if (j && j.jobId === jobId) job.value = { ...j, phase, done, total, unit };
      // A job started elsewhere (Electron's File menu, another tab): shown and cancellable
      // here too, unless this window runs one of its own.
      else if (!j) {
        foreign.add(jobId);
        const title = KIND_TITLES[kind];
        job.value = { jobId, kind, title, phase, done, total, unit, cancelling: false };
      }
    } else if (event.type === 'job-ended') {
      endedMessages.set(event.jobId, event.message);
      if (foreign.delete(event.jobId)) {
        if (job.value?.jobId === event.jobId) job.value = null;
        const level =
          event.outcome === 'failed' ? 'error' : event.outcome === 'cancelled' ? 'warning' : 'info';
        outcome.value = { level, text: event.message, details: [] };
      }
      if (event.kind === 'open-capture') void sessionReplaced();
    }
  }

  async function sessionReplaced(): Promise<void> {
    await useSelectionStore().select(null);
    await useExchangesStore().reload();
  }

  /** Runs one job; returns false when it failed or was cancelled before doing anything. */
  async function run<T>(
    kind: JobKind,
    title: string,
    work: (jobId: string) => Promise<T>,
    describe: (result: T, ended: string | undefined) => JobOutcome,
  ): Promise<boolean> {
    if (job.value) return false; // One at a time: the buttons are disabled meanwhile.
    foreign.clear();
    const jobId = newJobId();
    outcome.value = null;
    job.value = {
      jobId,
      kind,
      title,
      phase: 'Starting',
      done: 0,
      total: 0,
      unit: 'bytes',
      cancelling: false,
    };
    try {
      const result = await work(jobId);
      outcome.value = describe(result, endedMessages.get(jobId));
      return true;
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      outcome.value =
        code === 'CANCELLED'
          ? { level: 'warning', text: `${title}: cancelled; nothing was changed.`, details: [] }
          : { level: 'error', text: `${title} failed: ${errorText(e)}`, details: [] };
      return false;
    } finally {
      endedMessages.delete(jobId);
      job.value = null;
      uploadAbort = null;
    }
  }

  /** The upload phase of a job, shown on the same progress bar and cancellable. */
  async function upload(file: PickedFile): Promise<TransferFile> {
    uploadAbort = new AbortController();
    const set = (done: number, total: number) => {
      if (job.value) job.value = { ...job.value, phase: 'Uploading', done, total, unit: 'bytes' };
    };
    set(0, file.size);
    try {
      return await fileTransport().upload(file, { onProgress: set, signal: uploadAbort.signal });
    } finally {
      uploadAbort = null;
    }
  }

  /** Hands a written file to the user; says where it went. */
  async function deliver(file: TransferFile): Promise<string> {
    const path = await fileTransport().download(file);
    return path ? `Saved to ${path}.` : `Downloaded as ${file.name}.`;
  }

  async function cancel(): Promise<void> {
    const j = job.value;
    if (!j || j.cancelling) return;
    job.value = { ...j, cancelling: true };
    if (uploadAbort) uploadAbort.abort();
    else
      await inspectorClient()
        .cancelJob(j.jobId)
        .catch(() => false);
  }

  /** The ids or filter for an export scope (selected: in list order). */
  function scopeQuery(scope: ExportScope): { ids?: number[]; filter?: string } {
    if (scope === 'selected') return { ids: useSelectionStore().selectedIdList() };
    const filter = useExchangesStore().filterText.trim();
    return scope === 'filtered' && filter ? { filter } : {};
  }

  function exportHar(scope: ExportScope): Promise<boolean> {
    return run(
      'export-har',
      'Export HAR',
      async (jobId) => {
        const result = await inspectorClient().exportHar({
          ...scopeQuery(scope),
          toFile: true,
          jobId,
        });
        if (!result.file) throw new Error('the export wrote no file');
        return { result, where: await deliver(result.file) };
      },
      ({ result, where }, ended) => ({
        level: 'info',
        text: `${ended ?? `Exported ${result.count} exchanges.`} ${where}`,
        details: [],
      }),
    );
  }

  function importHar(file: PickedFile): Promise<boolean> {
    return run(
      'import-har',
      `Import of ${file.name}`,
      async (jobId) => {
        const { fileId } = await upload(file);
        return inspectorClient().importHar({ fileId, name: file.name, jobId });
      },
      (r, ended) => ({
        level: r.cancelled || r.skipped.length ? 'warning' : 'info',
        text: ended ?? `Imported ${r.imported}, skipped ${r.skipped.length} from ${file.name}.`,
        details: r.skipped.map((s) => s.reason),
      }),
    );
  }

  function saveCapture(): Promise<boolean> {
    return run(
      'save-capture',
      'Save capture',
      async (jobId) => {
        const saved = await inspectorClient().saveCapture({ jobId });
        return { saved, where: await deliver(saved) };
      },
      ({ saved, where }, ended) => ({
        level: 'info',
        text: `${ended ?? `Saved ${saved.count} exchanges.`} ${where}`,
        details: [],
      }),
    );
  }

  /** Replaces the session with a capture file (the caller asked the user first). */
  function openCapture(file: PickedFile): Promise<boolean> {
    return run(
      'open-capture',
      `Opening ${file.name}`,
      async (jobId) => {
        const { fileId } = await upload(file);
        return inspectorClient().openCapture({ fileId, jobId });
      },
      (r, ended) => ({
        level: r.warnings.length ? 'warning' : 'info',
        text: ended ?? `Opened ${r.count} exchanges from ${file.name}.`,
        details: r.warnings,
      }),
    );
  }

  /** Every exchange in the session, whatever the filter (for "All (N)"). */
  async function countAll(): Promise<number | null> {
    try {
      return (await inspectorClient().listExchanges({ limit: 0 })).total;
    } catch {
      return null;
    }
  }

  function dismiss(): void {
    outcome.value = null;
  }

  return {
    job,
    outcome,
    start,
    stop,
    cancel,
    exportHar,
    importHar,
    saveCapture,
    openCapture,
    countAll,
    dismiss,
  };
});
