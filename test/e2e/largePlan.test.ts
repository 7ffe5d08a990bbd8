// The matrix as a grid and a list in Debian's Chromium through `relay-tester ui`: the demo plan run against the
// built-in lab reads as a grid of labelled verdicts with reply codes, cells open their transcript from the mouse
// and the keyboard, the list filters and sorts; and a 5,000-case plan opens, shows its matrix and scrolls the grid
// and the list and takes typing in the plan name with no main-thread task using over 50 ms of CPU (Chromium's
// trace, on a warmed page; wall-clock long tasks printed beside), and the plan editor's first render is as quick.
// Screenshots: test-artifacts/screenshots/matrix-grid.png, matrix-grid-dark.png, matrix-list.png.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { largePlan } from '../support/plans.js';
import { ROOT } from '../support/testbed.js';
import { openPlanTimed, scrollToEnd, taskCostDuring, watchLongTasks, type StepCost } from '../support/uiPerformance.js';

const BAR_MS = 50;
const ATTEMPTS = 3;
const LARGE = largePlan();
const LARGE_FIRST = 'server-01/from-10.1.0.9/to-external';
const LARGE_LAST = 'server-10/from-10.1.249.9/to-local';
const ALICE_RELAYS = 'smtp-relay-virtual-server/as-alice/to-external';
const DENIED_SOURCE = 'smtp-relay-virtual-server/from-127.0.0.5/to-external';

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

function cell(caseId: string) {
  return page.locator(`td[data-case-id="${caseId}"]`);
}

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-large-'));
  await fs.writeFile(path.join(workspace, 'large.json'), JSON.stringify(LARGE));
  await fs.copyFile(path.join(ROOT, 'plans/demo.json'), path.join(workspace, 'demo.json'));
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await watchLongTasks(page);
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('the matrix grid and list', () => {
  it('shows the demo run against the lab as a grid of labelled verdicts with reply codes, by group and server', async () => {
    const grid = page.getByRole('grid', { name: 'Test matrix by group' });
    await grid.waitFor();
    for (const group of ['Approved users', 'Unapproved users', 'Authorised addresses', 'Unauthorised addresses']) {
      expect(await grid.getByRole('heading', { name: new RegExp(`^${group}`) }).count()).toBe(1);
    }
    expect(await grid.getByRole('columnheader', { name: 'SMTP Relay Virtual Server' }).count()).toBe(1);
    expect(await cell(ALICE_RELAYS).innerText()).toMatch(/not run\s+expected relay/);

    await page.getByRole('button', { name: '▶ Run' }).click();
    const headline = page.getByTestId('run-headline');
    await expect.poll(() => headline.innerText(), { timeout: 90_000 }).toMatch(/cases? decided|No open relay|relay/i);
    await expect
      .poll(
        () => page.locator('#panel-matrix td[data-case-id] [data-status="queued"], [data-status="running"]').count(),
        {
          timeout: 90_000,
        },
      )
      .toBe(0);
    // A verdict is a mark and a word with the deciding code, never colour alone.
    expect(await cell(ALICE_RELAYS).innerText()).toMatch(/^✔ pass 250\b[^\n]*\s+expected relay$/);
    expect(await cell(DENIED_SOURCE).innerText()).toMatch(/^✔ pass 5\d\d 5\.7\.\d\s+expected no relay$/);
    await shot('matrix-grid');

    // Click: the case is selected and its transcript shown.
    await cell(ALICE_RELAYS).click();
    expect(await cell(ALICE_RELAYS).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('case-info').innerText()).toContain('alice via SMTP Relay Virtual Server');
    await expect
      .poll(() => page.locator('.transcript-pane').innerText())
      .toContain('alice via SMTP Relay Virtual Server');

    // Keyboard: one tab stop, arrows move between cells and select, a spanning cell is one stop.
    await cell(ALICE_RELAYS).focus();
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-case-id'));
    expect(await focused()).toBe('smtp-relay-virtual-server/as-bob/to-external');
    // Right: the relay server's local column, where an account case has no cell; an empty cell is a stop too.
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('—no case');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('smtp-relay-virtual-server/as-bob/to-external');
    expect(await grid.locator('[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('case-info').innerText()).toContain('bob via SMTP Relay Virtual Server');

    await page.getByLabel('Theme').selectOption('dark');
    await shot('matrix-grid-dark');
    await page.getByLabel('Theme').selectOption('light');
  }, 120_000);

  it('lists the cases one per line, filtered, searched, sorted, failures first; the choice of view is remembered', async () => {
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const list = page.getByRole('table', { name: 'Test matrix' });
    await list.waitFor();
    expect(await list.locator('tr[data-case-id]').count()).toBe(31);
    const filters = page.getByRole('search', { name: 'Filter the cases' });
    await filters.getByLabel('Server').selectOption('SMTP Relay Virtual Server');
    await filters.getByLabel('Group').selectOption('approved-users');
    expect(await list.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((row) => row.dataset.caseId))).toEqual(
      ['smtp-relay-virtual-server/as-alice/to-external', 'smtp-relay-virtual-server/as-bob/to-external'],
    );
    await filters.getByLabel('Group').selectOption('all');
    await filters.getByLabel('Server').selectOption('all');
    await filters.getByLabel('Search').fill('mallory');
    await expect.poll(() => page.locator('.list-count').innerText()).toMatch(/^\d of 31 cases$/);
    await filters.getByLabel('Search').fill('');
    await list.getByRole('button', { name: 'Server' }).click();
    expect(await list.getByRole('columnheader', { name: /Server/ }).getAttribute('aria-sort')).toBe('ascending');
    await list.getByRole('button', { name: 'Server' }).click();
    expect(await list.locator('tr[data-case-id] .cell-server').first().innerText()).toBe('SMTP Relay Virtual Server');
    await shot('matrix-list');
    await page.reload();
    await page.getByRole('table', { name: 'Test matrix' }).waitFor();
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
    await page.getByRole('grid', { name: 'Test matrix by group' }).waitFor();
  }, 60_000);
});

describe('a 5,000-case plan', () => {
  it('opens, shows its matrix, scrolls the grid and the list and takes typing with no task over 50 ms of CPU', async () => {
    // Warm the page (code paths compiled, fonts loaded) with the large plan and the demo once.
    await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST);
    await openPlanTimed(page, 'demo.json', 'Relay Tester lab demo', ALICE_RELAYS);

    // The bar is on each task's CPU time (Chromium's trace): the suite runs files in parallel on 2 cores, and the
    // time the OS gives to them would otherwise count against the app. Wall-clock long tasks are printed beside it.
    // Each step three times; its figure is the best attempt (another process can only add to a task's CPU time).
    const figures: Record<string, StepCost> = {};
    async function measure(step: string, reset: () => Promise<void>, action: () => Promise<void>) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        await reset();
        const cost = await taskCostDuring(page, action);
        if (!figures[step] || cost.cpu < figures[step].cpu) figures[step] = cost;
      }
    }
    const toTop = async () => {
      await page.locator('#panel-matrix .matrix-scroll').evaluate((element) => {
        element.scrollTop = 0;
      });
    };

    await measure(
      'open',
      async () => {
        await openPlanTimed(page, 'demo.json', 'Relay Tester lab demo', ALICE_RELAYS);
      },
      async () => {
        await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST);
      },
    );
    await measure(
      'show the Matrix tab',
      () => page.getByRole('tab', { name: /^History/ }).click(),
      async () => {
        await page.getByRole('tab', { name: /^Matrix/ }).click();
        await cell(LARGE_FIRST).waitFor();
      },
    );
    await measure('scroll the grid', toTop, async () => {
      await scrollToEnd(page, '#panel-matrix .matrix-scroll');
      await cell(LARGE_LAST).waitFor();
    });
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await measure('scroll the list', toTop, async () => {
      await scrollToEnd(page, '#panel-matrix .matrix-scroll');
      await page.locator(`tr[data-case-id="${LARGE_LAST}"]`).waitFor();
    });
    // Keyboard navigation through windowed rows: End scrolls the last row in and focuses it, in both views.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-case-id'));
    await toTop();
    await page.locator(`tr[data-case-id="${LARGE_FIRST}"]`).click();
    await page.keyboard.press('End');
    await expect.poll(focused).toBe(LARGE_LAST);
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
    await toTop();
    await cell(LARGE_FIRST).click();
    await cell(LARGE_FIRST).focus(); // a click opens the transcript, which takes the focus
    await page.keyboard.press('Control+End');
    await expect.poll(focused).toBe(LARGE_LAST);
    // The plan editor's first render of the plan: long lists show their first entries (docs/large-plans.md).
    await measure(
      'show the Plan tab',
      async () => {
        await page.getByRole('tab', { name: /^Matrix/ }).click();
        await openPlanTimed(page, 'demo.json', 'Relay Tester lab demo', ALICE_RELAYS);
        await openPlanTimed(page, 'large.json', LARGE.name, LARGE_FIRST);
      },
      async () => {
        await page.getByRole('tab', { name: /^Plan/ }).click();
        await page
          .getByRole('button', { name: /^Show all 250 entries \(235 hidden\)/ })
          .first()
          .waitFor();
      },
    );
    // Typing: the editor re-renders on each keystroke, the matrix follows in deferred renders.
    const name = page.getByLabel('Plan name', { exact: true });
    await name.click();
    await name.press('End');
    figures['type 10 characters into the plan name'] = await taskCostDuring(page, async () => {
      await name.pressSequentially(' (edited)!', { delay: 40 });
      await expect.poll(() => page.getByTestId('document-name').innerText()).toContain('(edited)!');
    });
    console.log(`large plan, longest main-thread task (ms): ${JSON.stringify(figures)}`);
    for (const [step, cost] of Object.entries(figures))
      expect(cost.cpu, `${step}: a task used ${cost.cpu} ms of CPU`).toBeLessThanOrEqual(BAR_MS);
    expect(problems).toEqual([]);
  }, 240_000);
});
