/**
 * Long jobs of the inspector service (HAR export/import, saving and opening capture
 * files): each gets an id (the caller's, so it can cancel before the call returns), an
 * AbortSignal, and progress reported as `job-progress` events — at most every 100 ms per
 * job, plus every phase change — and one `job-ended` event saying in plain words how it
 * went. `cancelJob` aborts the signal; what a cancel leaves behind is each job's to say.
 */
import {
  ERROR_CODES,
  type InspectorEvent,
  type JobKind,
  type JobProgressEvent,
} from '../../shared/api/inspector-api';
import { createFileId } from './service-files';
import { invalidArgument } from './service-errors';

const PROGRESS_INTERVAL_MS = 100;

export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Reports progress (throttled; a new phase or `done === total` always goes out). */
  progress(phase: string, done: number, total: number, unit: JobProgressEvent['unit']): void;
  /** A progress listener for one phase, as the export functions take it. */
  phase(
    phase: string,
    unit: JobProgressEvent['unit'],
  ): (p: { done: number; total: number }) => void;
}

interface RunningJob {
  kind: JobKind;
  controller: AbortController;
}

export function isCancelled(error: unknown): boolean {
  return (error as { code?: unknown })?.code === ERROR_CODES.CANCELLED;
}

export class JobRunner {
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly emit: (event: InspectorEvent) => void) {}

  /**
   * Runs `task` as a job. `describe` turns its result into the ending message (and may
   * say it was cancelled part-way, e.g. an import that keeps what it read).
   */
  async run<T>(
    kind: JobKind,
    requestedId: unknown,
    task: (job: JobContext) => Promise<T>,
    describe: (result: T) => { message: string; cancelled?: boolean },
  ): Promise<T> {
    const jobId = this.claimId(requestedId);
    const controller = new AbortController();
    this.running.set(jobId, { kind, controller });
    let lastAt = 0;
    let lastPhase = '';
    const progress: JobContext['progress'] = (phase, done, total, unit) => {
      const now = Date.now();
      if (phase === lastPhase && done < total && now - lastAt < PROGRESS_INTERVAL_MS) return;
      lastAt = now;
      lastPhase = phase;
      this.emit({ type: 'job-progress', jobId, kind, phase, done, total, unit });
    };
    const context: JobContext = {
      jobId,
      signal: controller.signal,
      progress,
      phase: (phase, unit) => (p) => progress(phase, p.done, p.total, unit),
    };
    try {
      const result = await task(context);
      const { message, cancelled } = describe(result);
      this.ended(jobId, kind, cancelled ? 'cancelled' : 'done', message);
      return result;
    } catch (error) {
      const message = (error as { message?: unknown })?.message;
      this.ended(
        jobId,
        kind,
        isCancelled(error) ? 'cancelled' : 'failed',
        typeof message === 'string' ? message : String(error),
      );
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.controller.abort();
  }

  private claimId(requested: unknown): string {
    if (requested === undefined || requested === null) return createFileId();
    if (typeof requested !== 'string' || !/^[\w-]{1,64}$/.test(requested)) {
      throw invalidArgument('jobId must be 1–64 letters, digits, "-" or "_".');
    }
    if (this.running.has(requested))
      throw invalidArgument(`Job "${requested}" is already running.`);
    return requested;
  }

  private ended(
    jobId: string,
    kind: JobKind,
    outcome: 'done' | 'cancelled' | 'failed',
    message: string,
  ): void {
    this.emit({ type: 'job-ended', jobId, kind, outcome, message });
  }
}
