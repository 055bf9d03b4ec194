/**
 * `wirelens capture --json` as a child process, for tests that kill or signal it: the
 * NDJSON lines it prints, a way to wait for the n-th line, and its exit.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('main/headless/bin/wirelens.mjs');

export interface CaptureProcess {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr(): string;
  /** Resolves with the n-th stdout line (0-based) once printed; rejects if it exits first. */
  line(n: number): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCaptureProcess(args: string[], killAfterMs = 120_000): CaptureProcess {
  const child = spawn(process.execPath, [BIN, 'capture', ...args], { stdio: 'pipe' });
  const lines: string[] = [];
  let buffered = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (c: Buffer) => {
    buffered += c.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w();
      resolve({ code, signal });
    }),
  );
  // Bounded: a test that forgets to stop it does not leave a process behind.
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  void exit.then(() => clearTimeout(killer));
  return {
    child,
    lines,
    stderr: () => err,
    exit,
    line: (n) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (lines.length > n) resolve(lines[n]);
          else if (child.exitCode !== null || child.signalCode !== null)
            reject(new Error(`capture exited; stdout=${lines.join('\n')} stderr=${err}`));
          else waiters.push(check);
        };
        check();
      }),
  };
}
