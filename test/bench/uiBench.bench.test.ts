// `npm run bench:ui`: what a user feels of a 5,000-case plan in the app, in Debian's Chromium through
// `relay-tester ui`. Prints the longest main-thread task of each step (opening the plan, showing the Matrix tab,
// scrolling the grid and the list to the end, the plan editor's first render, typing 10 characters into the plan
// name) as CPU time (Chromium's trace) and wall-clock, and the time from Open to the matrix on screen as a ratio
// against the 31-case demo plan measured in the same run (median of 3 each).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { largePlan } from '../support/plans.js';
import { ROOT } from '../support/testbed.js';
import {
  longTasksDuring,
  longest,
  openPlanTimed,
  scrollToEnd,
  taskCostDuring,
  watchLongTasks,
  type StepCost,
} from '../support/uiPerformance.js';

const LARGE = largePlan();
const LARGE_FIRST = 'server-01/from-10.1.0.9/to-external';
const LARGE_LAST = 'server-10/from-10.1.249.9/to-local';
const DEMO = 'Relay Tester lab demo';
const DEMO_FIRST = 'smtp-relay-virtual-server/as-alice/to-external';

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-bench-ui-'));
  await fs.writeFile(path.join(workspace, 'large.json'), JSON.stringify(LARGE));
  await fs.copyFile(path.join(ROOT, 'plans/demo.json'), path.join(workspace, 'demo.json'));
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await watchLongTasks(page);
  await page.goto(url);
  await page.getByRole('grid', { name: 'Test matrix by group' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

it('measures a 5,000-case plan against the 31-case demo', async () => {
  // Warm-up: code compiled, fonts loaded.
  await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST);
  await openPlanTimed(page, 'demo.json', DEMO, DEMO_FIRST);
  const demoTimes: number[] = [];
  const largeTimes: number[] = [];
  const openTasks: number[] = [];
  for (let round = 0; round < 3; round++) {
    demoTimes.push(await openPlanTimed(page, 'demo.json', DEMO, DEMO_FIRST));
    const tasks = await longTasksDuring(page, async () => {
      largeTimes.push(await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST));
    });
    openTasks.push(longest(tasks));
  }
  const steps: Record<string, StepCost> = {};
  await openPlanTimed(page, 'demo.json', DEMO, DEMO_FIRST);
  steps['open the plan'] = await taskCostDuring(page, async () => {
    await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST);
  });
  await page.getByRole('tab', { name: /^History/ }).click();
  steps['show the Matrix tab'] = await taskCostDuring(page, async () => {
    await page.getByRole('tab', { name: /^Matrix/ }).click();
  });
  steps['scroll the grid to the end'] = await taskCostDuring(page, async () => {
    await scrollToEnd(page, '#panel-matrix .matrix-scroll');
    await page.locator(`td[data-case-id="${LARGE_LAST}"]`).waitFor();
  });
  await page.getByRole('button', { name: 'List', exact: true }).click();
  steps['scroll the list to the end'] = await taskCostDuring(page, async () => {
    await scrollToEnd(page, '#panel-matrix .matrix-scroll');
    await page.locator(`tr[data-case-id="${LARGE_LAST}"]`).waitFor();
  });
  await page.getByRole('button', { name: 'Grid', exact: true }).click();
  // The editor's first render is deferred (a placeholder first): the step lasts until a long list's button is shown.
  steps['show the Plan tab (first render)'] = await taskCostDuring(page, async () => {
    await page.getByRole('tab', { name: /^Plan/ }).click();
    await page
      .getByRole('button', { name: /^Show all 250 entries/ })
      .first()
      .waitFor();
  });
  const name = page.getByLabel('Plan name', { exact: true });
  await name.click();
  await name.press('End');
  steps['type 10 characters into the plan name'] = await taskCostDuring(page, async () => {
    await name.pressSequentially(' (edited)!', { delay: 40 });
    await expect.poll(() => page.getByTestId('document-name').innerText()).toContain('(edited)!');
  });

  const demo = median(demoTimes);
  const large = median(largeTimes);
  const lines = [
    `UI benchmark (Chromium, 1366×768; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`,
    `render, Open to matrix on screen: 31 cases ${demo.toFixed(0)} ms, 5,000 cases ${large.toFixed(0)} ms, ratio ${(large / demo).toFixed(1)}`,
    'longest main-thread task, ms (the bar is 50): CPU time (trace) / wall-clock (longtask observer)',
    ...Object.entries(steps).map(
      ([step, cost]) => `  ${step.padEnd(40)} ${String(cost.cpu).padStart(5)} / ${String(cost.wall).padStart(5)}`,
    ),
    `open the plan, wall-clock over ${openTasks.length} rounds: longest ${Math.max(...openTasks).toFixed(0)} ms`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  expect(demo).toBeGreaterThan(0);
  expect(large).toBeGreaterThan(0);
});
