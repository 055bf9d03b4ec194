import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InspectorEvent, TransferFile } from '../../shared/api/inspector-api';
import { setFileTransport, type FileTransport } from '../../renderer/src/api/file-transport';
import { setInspectorClient } from '../../renderer/src/stores/client';
import { useExchangesStore } from '../../renderer/src/stores/exchanges-store';
import { useFilesStore } from '../../renderer/src/stores/files-store';
import { fakeClient, settle } from './fake-client';

interface FakeTransport extends FileTransport {
  uploaded: string[];
  downloaded: TransferFile[];
}

/** Uploads resolve with an id (or wait for a cancel); downloads are recorded. */
function fakeTransport(options: { holdUpload?: boolean } = {}): FakeTransport {
  const t: FakeTransport = {
    uploaded: [],
    downloaded: [],
    upload(file, o = {}) {
      t.uploaded.push(file.name);
      o.onProgress?.(file.size / 2, file.size);
      if (!options.holdUpload)
        return Promise.resolve({ fileId: `up-${file.name}`, name: file.name, bytes: file.size });
      return new Promise((_, reject) =>
        o.signal?.addEventListener('abort', () =>
          reject({ code: 'CANCELLED', message: 'Upload cancelled' }),
        ),
      );
    },
    async download(file) {
      t.downloaded.push(file);
    },
  };
  setFileTransport(t);
  return t;
}

const file = (name: string, size = 100) => ({ name, size });

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('files store', () => {
  it('exports the filtered set to a file and downloads it, saying what happened', async () => {
    const queries: unknown[] = [];
    const client = fakeClient({
      exportHar: async (q) => {
        queries.push(q);
        client.emit({
          type: 'job-ended',
          jobId: q.jobId!,
          kind: 'export-har',
          outcome: 'done',
          message: 'Exported 2 exchanges as HAR.',
        });
        return { count: 2, file: { fileId: 'f1', name: 'w.har', bytes: 10 } };
      },
    });
    setInspectorClient(client);
    const transport = fakeTransport();
    await useExchangesStore().setFilter('method:POST');
    const files = useFilesStore();
    files.start();
    expect(await files.exportHar('filtered')).toBe(true);
    expect(queries).toEqual([{ filter: 'method:POST', toFile: true, jobId: expect.any(String) }]);
    expect(transport.downloaded).toEqual([{ fileId: 'f1', name: 'w.har', bytes: 10 }]);
    expect(files.outcome).toEqual({
      level: 'info',
      text: 'Exported 2 exchanges as HAR. Downloaded as w.har.',
      details: [],
    });
    expect(await files.exportHar('all')).toBe(true);
    expect(queries[1]).toEqual({ toFile: true, jobId: expect.any(String) });
  });

  it('imports an uploaded HAR, following progress events, and lists skipped entries', async () => {
    const seen: Array<{ phase: string; done: number }> = [];
    const client = fakeClient({
      importHar: async (input) => {
        client.emit({
          type: 'job-progress',
          jobId: input.jobId!,
          kind: 'import-har',
          phase: 'Importing',
          done: 3,
          total: 4,
          unit: 'entries',
        });
        const j = useFilesStore().job!;
        seen.push({ phase: j.phase, done: j.done });
        expect(input).toMatchObject({ fileId: 'up-devtools.har', name: 'devtools.har' });
        return { imported: 3, skipped: [{ index: 4, reason: 'entry 4: request.url is missing' }] };
      },
    });
    setInspectorClient(client);
    fakeTransport();
    const files = useFilesStore();
    files.start();
    expect(await files.importHar(file('devtools.har'))).toBe(true);
    expect(seen).toEqual([{ phase: 'Importing', done: 3 }]);
    expect(files.job).toBeNull();
    expect(files.outcome).toMatchObject({
      level: 'warning',
      text: 'Imported 3, skipped 1 from devtools.har.',
      details: ['entry 4: request.url is missing'],
    });
  });

  it('cancelling during the upload changes nothing and says so', async () => {
    setInspectorClient(fakeClient());
    fakeTransport({ holdUpload: true });
    const files = useFilesStore();
    const running = files.importHar(file('big.har'));
    await settle();
    expect(files.job).toMatchObject({ phase: 'Uploading', done: 50, total: 100 });
    await files.cancel();
    expect(await running).toBe(false);
    expect(files.outcome?.text).toBe('Import of big.har: cancelled; nothing was changed.');
  });

  it('cancel during the job asks the service to stop that job', async () => {
    const cancelled: string[] = [];
    let finish: (() => void) | null = null;
    const client = fakeClient({
      cancelJob: async (id) => {
        cancelled.push(id);
        finish?.();
        return true;
      },
      importHar: (input) =>
        new Promise((resolve) => {
          finish = () => {
            client.emit({
              type: 'job-ended',
              jobId: input.jobId!,
              kind: 'import-har',
              outcome: 'cancelled',
              message: 'Import of x.har cancelled after 1,200 of 5,000 entries; kept.',
            });
            resolve({ imported: 1200, skipped: [], total: 5000, cancelled: true });
          };
        }),
    });
    setInspectorClient(client);
    fakeTransport();
    const files = useFilesStore();
    files.start();
    const running = files.importHar(file('x.har'));
    await settle();
    const jobId = files.job!.jobId;
    await files.cancel();
    expect(await running).toBe(true);
    expect(cancelled).toEqual([jobId]);
    expect(files.outcome).toMatchObject({
      level: 'warning',
      text: 'Import of x.har cancelled after 1,200 of 5,000 entries; kept.',
    });
  });

  it('reloads the list when any window opened a capture', async () => {
    const client = fakeClient();
    setInspectorClient(client);
    const files = useFilesStore();
    files.start();
    const before = client.calls.filter((c) => c.method === 'listExchanges').length;
    const event: InspectorEvent = {
      type: 'job-ended',
      jobId: 'other-window',
      kind: 'open-capture',
      outcome: 'done',
      message: 'Opened 3 exchanges.',
    };
    client.emit(event);
    await settle();
    await settle();
    expect(client.calls.filter((c) => c.method === 'listExchanges').length).toBeGreaterThan(before);
  });

  it('a failed open names the file and the reason', async () => {
    setInspectorClient(
      fakeClient({
        openCapture: () =>
          Promise.reject({ code: 'CAPTURE_INVALID', message: 'x is not a Wirelens capture file' }),
      }),
    );
    fakeTransport();
    const files = useFilesStore();
    expect(await files.openCapture(file('x.wlcap'))).toBe(false);
    expect(files.outcome).toMatchObject({
      level: 'error',
      text: 'Opening x.wlcap failed: x is not a Wirelens capture file (CAPTURE_INVALID)',
    });
  });
});

describe('files store: jobs started elsewhere', () => {
  it('shows a job from the File menu or another tab, lets it be cancelled, then its message', async () => {
    const cancelled: string[] = [];
    const client = fakeClient({
      cancelJob: async (id) => {
        cancelled.push(id);
        return true;
      },
    });
    setInspectorClient(client);
    const files = useFilesStore();
    files.start();
    client.emit({
      type: 'job-progress',
      jobId: 'menu-1',
      kind: 'save-capture',
      phase: 'Saving',
      done: 10,
      total: 40,
      unit: 'bytes',
    });
    expect(files.job).toMatchObject({ jobId: 'menu-1', title: 'Save capture', done: 10 });
    await files.cancel();
    expect(cancelled).toEqual(['menu-1']);
    client.emit({
      type: 'job-ended',
      jobId: 'menu-1',
      kind: 'save-capture',
      outcome: 'cancelled',
      message: 'Capture save cancelled',
    });
    expect(files.job).toBeNull();
    expect(files.outcome).toEqual({
      level: 'warning',
      text: 'Capture save cancelled',
      details: [],
    });
  });
});

describe('files store: save capture', () => {
  it('says where a save dialog put the file (Electron) instead of "Downloaded"', async () => {
    setInspectorClient(
      fakeClient({
        saveCapture: async () => ({ fileId: 's1', name: 'w.wlcap', bytes: 9, count: 4 }),
      }),
    );
    const transport = fakeTransport();
    transport.download = async () => '/home/ada/session.wlcap';
    const files = useFilesStore();
    expect(await files.saveCapture()).toBe(true);
    expect(files.outcome?.text).toBe('Saved 4 exchanges. Saved to /home/ada/session.wlcap.');
  });
});
