/**
 * What the UI bench (./ui-bench.ts) reads from the page in Chromium: long tasks (Long Tasks
 * API), the time until the list shows its first rows and until every row is loaded and
 * scrollable, the renderer main thread's tasks from a trace, Chromium's performance
 * metrics, and the JS heap after a forced GC.
 */
import type { CDPSession, Page } from 'playwright-core';

/** Long tasks seen since the last reset (the observer is installed before any page script). */
export const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // When the page itself marked the first snapshot shown (ms since navigation start): what
  // the user waits, without the harness's polling delay on a loaded machine.
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-ready="true"]')) return;
    window.__readyAt = performance.now();
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
`;
export async function longestTask(
  page: Page,
  since: number,
): Promise<{ max: number; count: number }> {
  // String expressions: this file is type-checked without the DOM library.
  return page.evaluate(`(() => {
    const tasks = (window.__longTasks ?? []).filter((x) => x.start >= ${since});
    return { max: tasks.reduce((m, x) => Math.max(m, x.duration), 0), count: tasks.length };
  })()`);
}

/** Navigates, and returns [ms to first rows shown, ms to every row loaded and scrolled]. */
export async function openAndScroll(
  page: Page,
  url: string,
  expected: number,
): Promise<{ ready: number; full: number }> {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('[data-ready="true"]', { timeout: 120_000 });
  const readyAt = await page.evaluate<number | undefined>('window.__readyAt');
  const ready = Math.round(readyAt ?? Date.now() - t0);
  // A function, not a string: the page's CSP forbids eval, which string predicates need.
  await page.waitForFunction(
    (n: number) => {
      const doc = (
        globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } | null };
        }
      ).document;
      const text = doc.querySelector('[aria-label="Exchange count"]')?.textContent ?? '';
      return !text.includes('loading') && Number(text.replace(/\D/g, '')) >= n;
    },
    expected,
    { timeout: 300_000, polling: 50 },
  );
  console.error(`  all ${expected} listed after ${Date.now() - t0} ms`);
  if (expected > 0) {
    // Scrollable: jump to the middle and to the end; the rows there must be rendered.
    for (const at of [Math.floor(expected / 2), expected - 1]) {
      await page.evaluate(`document.querySelector('[role="grid"]').scrollTop = ${at * 24}`);
      await page.waitForSelector(`[role="row"][aria-rowindex="${at + 2}"]`, { timeout: 60_000 });
    }
  }
  return { ready, full: Date.now() - t0 };
}

/**
 * The renderer main thread's tasks from a Chromium trace ('toplevel' category: one event
 * per task, with wall `dur` and thread CPU `tdur`): the CPU time of the longest-running
 * task tells the UI's own work apart from waiting for a core on a loaded machine.
 */
export async function startTaskTrace(
  cdp: CDPSession,
): Promise<() => Promise<{ maxCpu: number; over50: number }>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    const main = new Set(
      events
        .filter(
          (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
        )
        .map((e) => `${e.pid}:${e.tid}`),
    );
    const cpu = events
      .filter((e) => e.ph === 'X' && e.tdur !== undefined && main.has(`${e.pid}:${e.tid}`))
      .map((e) => e.tdur! / 1000);
    return { maxCpu: Math.max(0, ...cpu), over50: cpu.filter((ms) => ms > 50).length };
  };
}
interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Main-thread CPU time and task wall time (s), and DOM nodes, from Chromium's metrics. */
export async function metrics(
  cdp: CDPSession,
): Promise<{ thread: number; tasks: number; nodes: number }> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const get = (name: string) => list.find((m) => m.name === name)?.value ?? NaN;
  return { thread: get('ThreadTime'), tasks: get('TaskDuration'), nodes: get('Nodes') };
}

export async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usage.usedSize / 1024 / 1024;
}
