// Running part of a plan in Debian's Chromium through `relay-tester ui` (its built-in lab on the open-relay preset,
// so the demo plan fails three cases): Ctrl+Enter runs the plan with focus on the run summary (but in the Quick
// probe form it is the probe's), "Re-run failed" runs the three failures again, and "Run this case" in the
// transcript pane runs one case, whose headline says it was one case of the plan and never reads as the whole plan
// passing. Screenshot: test-artifacts/screenshots/run-one-case.png.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openAppPage } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';

const RUN_TIMEOUT = 90_000;
const ALICE_RELAYS = 'smtp-relay-virtual-server/as-alice/to-external';

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-run-actions-'));
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace, '--preset', 'open-relay']);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await openAppPage(browser, url, problems, {
    viewport: { width: 1600, height: 1000 },
    permissions: ['notifications'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

const headline = () => page.getByTestId('run-headline');
const focused = () =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

/** Waits until the run shown is finished (its headline is a verdict, Run is enabled again); returns the headline. */
async function finished(pattern: RegExp): Promise<string> {
  await expect.poll(() => headline().innerText(), { timeout: RUN_TIMEOUT, interval: 250 }).toMatch(pattern);
  await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
  return headline().innerText();
}

describe('running part of a plan in the browser', () => {
  it('Ctrl+Enter runs the plan, Re-run failed runs its failures, Run this case runs one case of N', async () => {
    // In the Quick probe form Ctrl+Enter is the probe's (here refused for its port), never a run of the plan.
    await page.getByRole('tab', { name: 'Quick probe' }).click();
    const port = page.locator('#probe-port');
    await port.fill('70000');
    await port.press('Control+Enter');
    await expect.poll(() => page.locator('#probe-port-problem').innerText()).toBe('Port must be from 1 to 65535.');
    expect(await headline().count()).toBe(0);
    await page.getByRole('tab', { name: /^Matrix/ }).click();

    // The notification choice: Chromium grants the permission asked for from the checkbox.
    const notify = page.getByRole('checkbox', { name: 'Notify me when a long run ends' });
    await notify.check();
    await expect.poll(() => notify.isChecked()).toBe(true);
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');

    // Ctrl+Enter from anywhere starts the run; focus goes to the run summary, and stays there at the end.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Enter');
    await expect.poll(focused).toBe('run-summary');
    const whole = await finished(/^\d+ of \d+ cases decided: OPEN RELAY, 3 cases relay that should not$/);
    const total = Number(/^\d+ of (\d+)/.exec(whole)![1]);
    expect(await focused()).toBe('run-summary');

    // Re-run failed: the three failures again, and only them.
    await page.getByRole('button', { name: 'Re-run failed (3)' }).click();
    await finished(new RegExp(`^Partial run, 3 of ${total} cases: 3 of 3 cases decided: OPEN RELAY`));
    expect(await page.getByRole('status').filter({ hasText: 'Run finished: Partial run' }).count()).toBe(1);

    // Run this case: the selected case alone; its pass is not the plan's.
    await page.locator(`[data-case-id="${ALICE_RELAYS}"]`).first().click();
    const runCase = page.getByRole('button', { name: 'Run this case' });
    await runCase.click();
    await expect.poll(focused).toBe('run-summary');
    const one = await finished(new RegExp(`^Partial run, 1 of ${total} cases: `));
    expect(one).toBe(`Partial run, 1 of ${total} cases: 1 of 1 case decided: no open relay among those`);
    expect(await page.getByTestId('run-summary').getAttribute('class')).not.toContain('summary-good');
    expect(await focused()).toBe('run-summary');
    expect(await page.locator('.transcript-case').innerText()).toContain('alice');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-one-case.png') });

    // The history keeps the partial runs as partial.
    await page.getByRole('tab', { name: /^History/ }).click();
    await expect.poll(() => page.locator('.panel-history').innerText()).toContain(`Partial run, 1 of ${total} cases`);
    expect(problems).toEqual([]);
  });
});
