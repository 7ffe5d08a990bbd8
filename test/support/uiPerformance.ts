// What a user feels of a large plan in the app, measured in Chromium: the main thread's long tasks during each step
// (PerformanceObserver 'longtask', any task over 50 ms, wall-clock) and the CPU time of the renderer's main-thread
// tasks (Chromium's trace, RunTask's thread time), and how long a plan takes from "Open" to its matrix on screen.
// On a machine busy with other work a task's wall-clock time includes the time the OS gave to other processes;
// its thread time does not, so it is the app's own cost. Shared by test/e2e/largePlan.test.ts (which asserts) and `npm run bench:ui`
// (which prints).
import type { Page } from 'playwright-core';

export interface LongTask {
  start: number;
  duration: number;
}

declare global {
  interface Window {
    relayTesterLongTasks?: LongTask[];
  }
}

/** Collects long tasks from the first script on; call before page.goto. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.relayTesterLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        window.relayTesterLongTasks!.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Runs `step` and returns the long tasks that started during it (and until the page is idle after it). */
export async function longTasksDuring(page: Page, step: () => Promise<void>): Promise<LongTask[]> {
  const from = await page.evaluate(() => performance.now());
  await step();
  // Two frames and an idle callback: work the step queued (a deferred render, a scroll's re-render) is counted.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 2000 })),
        ),
      ),
  );
  return page.evaluate((since) => (window.relayTesterLongTasks ?? []).filter((task) => task.start >= since), from);
}

export interface StepCost {
  /** The longest main-thread task, wall-clock (what the PerformanceObserver reports). */
  wall: number;
  /** The most CPU time one main-thread task used. */
  cpu: number;
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Runs `step` under Chromium's tracing and returns its main-thread tasks' longest wall and CPU times (ms). */
export async function taskCostDuring(page: Page, step: () => Promise<void>): Promise<StepCost> {
  const browser = page.context().browser();
  if (!browser) throw new Error('tracing needs the browser of the page');
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  const tasks = await longTasksDuring(page, step);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const threads = new Map<string, string>();
  for (const event of trace.traceEvents)
    if (event.name === 'thread_name' && event.args?.name) threads.set(`${event.pid}:${event.tid}`, event.args.name);
  let cpu = 0;
  for (const event of trace.traceEvents) {
    if (event.name !== 'RunTask' || threads.get(`${event.pid}:${event.tid}`) !== 'CrRendererMain') continue;
    cpu = Math.max(cpu, (event.tdur ?? event.dur ?? 0) / 1000);
  }
  return { wall: longest(tasks), cpu: Math.round(cpu) };
}

/**
 * Opens a plan of the workspace through Open… (the Matrix tab shown) and returns the milliseconds from the click on
 * its file to its matrix being on screen (the document named `planName`, the case `caseId` rendered, the next
 * frame painted), measured in the page.
 */
export async function openPlanTimed(page: Page, fileName: string, planName: string, caseId: string): Promise<number> {
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a plan' });
  const button = dialog.getByRole('button', { name: new RegExp(`${fileName.replace('.', '\\.')}$`) });
  await button.waitFor();
  await button.evaluate((element) => element.setAttribute('data-timed-open', ''));
  return page.evaluate(
    ({ name, id }) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        (document.querySelector('[data-timed-open]') as HTMLElement).click();
        const deadline = started + 30_000;
        const check = () => {
          const named = document.querySelector('[data-testid="document-name"]')?.textContent?.includes(name);
          const shown = document.querySelector(`#panel-matrix [data-case-id="${CSS.escape(id)}"]`);
          if (named && shown) requestAnimationFrame(() => resolve(performance.now() - started));
          else if (performance.now() > deadline) reject(new Error(`the plan "${name}" did not show`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { name: planName, id: caseId },
  );
}

/**
 * Scrolls an element to its end a screen at a time, a frame per step, as a user paging down would; done when ten
 * frames in a row find it at the end (windowed rows may still grow the height after a step).
 */
export async function scrollToEnd(page: Page, selector: string): Promise<void> {
  await page.locator(selector).evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        let still = 0;
        const step = () => {
          const before = element.scrollTop;
          element.scrollTop = before + element.clientHeight;
          still = element.scrollTop === before ? still + 1 : 0;
          if (still >= 10) resolve();
          else requestAnimationFrame(step);
        };
        step();
      }),
  );
}

export function longest(tasks: readonly LongTask[]): number {
  return tasks.reduce((most, task) => Math.max(most, task.duration), 0);
}
