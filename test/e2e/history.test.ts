// History and compare end to end in Debian's Chromium through `relay-tester ui`, against a scripted SMTP server
// on loopback whose answers the test controls (the built-in lab's answers are fixed for one `ui` process). One plan
// is run three times: as it is; with one case's expectation changed (same server answers) -> compare says
// "expectation changed", never "regressed"; with the server opened to relaying from 127.0.0.1 -> "the server
// answered differently", regressed, with the two transcripts side by side. Then a run is labelled and one
// deleted (after a confirmation), and the plan reopened after a reload shows its latest run. Screenshots:
// test-artifacts/screenshots/history.png and compare-diff.png.
import { promises as fs } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openAppPage } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { smallPlan } from '../support/plans.js';

const RUN_TIMEOUT = 60_000;
const PLAN_NAME = 'History and compare';
const OPENED = 'scripted/from-127.0.0.1/to-external';
const EDITED = 'scripted/from-127.0.0.2/to-external';

let workspace: string;
let planFile: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let server: net.Server | undefined;
const sockets = new Set<net.Socket>();
/** When set, the server relays for a client connecting from 127.0.0.1 (and still refuses everyone else). */
let openToLoopback = false;
const problems: string[] = [];

/** A plain SMTP server: local recipients accepted, relaying refused (or, once opened, accepted from 127.0.0.1). */
function startScriptedServer(): Promise<net.Server> {
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.write('220 scripted.test ESMTP\r\n');
    let buffered = '';
    let inData = false;
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued\r\n');
          }
        } else if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 scripted.test\r\n');
        else if (line.startsWith('RCPT')) {
          const relays = openToLoopback && socket.remoteAddress?.endsWith('127.0.0.1');
          socket.write(
            line.includes('@CORP.TEST>') || relays ? '250 2.1.5 ok\r\n' : '550 5.7.1 Relay access denied\r\n',
          );
        } else if (line === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) => listener.listen(0, '127.0.0.1', () => resolve(listener)));
}

async function writePlan(cases: { id: string; expect: string }[]): Promise<void> {
  const plan = smallPlan({
    name: PLAN_NAME,
    sources: ['127.0.0.1', '127.0.0.2'],
    servers: [
      {
        name: 'Scripted',
        host: '127.0.0.1',
        port: (server!.address() as AddressInfo).port,
        tls: 'none',
        banner: 'scripted.test',
        relay: { users: [], hosts: [] },
      },
    ],
    cases,
  });
  await fs.writeFile(planFile, JSON.stringify(plan));
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

function status(caseId: string): Promise<string | null> {
  return page.locator(`tr[data-case-id="${caseId}"] [data-status]`).first().getAttribute('data-status');
}

/** Open… in the browser: the plan file, chosen by its file name. */
async function openPlan(): Promise<void> {
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a plan' });
  await dialog.getByRole('button', { name: /history\.json$/ }).click();
  await expect.poll(() => page.getByTestId('document-name').innerText()).toContain(PLAN_NAME);
  await page.getByRole('table', { name: 'Test matrix' }).waitFor();
}

/** Runs the open plan from the Matrix tab and waits until it is saved; returns the headline. */
async function runAndWait(): Promise<string> {
  await page.getByRole('tab', { name: /^Matrix/ }).click();
  await page.getByRole('button', { name: '▶ Run' }).click();
  const headline = page.getByTestId('run-headline');
  await expect
    .poll(() => headline.innerText(), { timeout: RUN_TIMEOUT, interval: 200 })
    .toMatch(/^\d+ of \d+ cases? decided/);
  await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
  await expect.poll(() => page.getByRole('button', { name: 'Export report' }).isEnabled()).toBe(true);
  return headline.innerText();
}

const historyRows = () => page.getByRole('table', { name: 'Runs of this plan' }).locator('tbody tr');

/** Compares the runs at these positions of the history (0 = newest). */
async function compare(before: number, after: number): Promise<void> {
  await historyRows()
    .nth(before)
    .getByRole('radio', { name: /^Compare from/ })
    .check();
  await historyRows()
    .nth(after)
    .getByRole('radio', { name: /^Compare to/ })
    .check();
  await page.getByRole('button', { name: 'Compare the two runs' }).click();
}

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-history-e2e-'));
  planFile = path.join(workspace, 'history.json');
  server = await startScriptedServer();
  await writePlan([]);
  host = startCli(['ui', '--no-open', '--no-lab', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await openAppPage(browser, url, problems, { viewport: { width: 1500, height: 1000 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('history and compare in the app', () => {
  it('runs the plan, then again with one expectation changed, then against a server that relays', async () => {
    await openPlan();
    expect(await page.getByTestId('last-run-note').count()).toBe(0);
    expect(await runAndWait()).toMatch(/^(\d+) of \1 cases decided: no open relay found$/);
    expect(await status(OPENED)).toBe('pass');
    expect(await status(EDITED)).toBe('pass');

    // The expectation changes in the plan file; reopened, the plan shows its last run before anything runs.
    await writePlan([{ id: EDITED, expect: 'relay' }]);
    await openPlan();
    await expect.poll(() => page.getByTestId('last-run-note').innerText()).toMatch(/^Last run, /);
    expect(await page.getByTestId('run-headline').innerText()).toMatch(/no open relay found$/);
    expect(await runAndWait()).toMatch(/1 case failed; no open relay found$/);
    expect(await status(EDITED)).toBe('fail');
    expect(await page.getByTestId('last-run-note').count()).toBe(0);

    openToLoopback = true;
    expect(await runAndWait()).toMatch(/OPEN RELAY/);
    expect(await status(OPENED)).toBe('fail');
  }, 120_000);

  it('compares: an expectation changed is no regression; a server that answered differently is', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => historyRows().count(), { timeout: 10_000 }).toBe(3);
    const [newest, middle, oldest] = await Promise.all([0, 1, 2].map((index) => historyRows().nth(index).innerText()));
    expect(newest).toMatch(/OPEN RELAY[\s\S]*fail 2/);
    expect(middle).toMatch(/1 case failed; no open relay found[\s\S]*fail 1/);
    expect(oldest).toMatch(/no open relay found[\s\S]*fail 0/);
    expect(oldest).toMatch(/\d+(\.\d)? (ms|s)/);

    await compare(2, 1);
    const summary = page.getByTestId('compare-summary');
    await expect
      .poll(() => summary.innerText())
      .toMatch(/^1 case changed: the expectation changed in 1 \(same server answer\); \d+ unchanged\.$/);
    const changes = page.locator('.compare-table tbody tr');
    expect(await changes.count()).toBe(1);
    const expectationRow = await changes.first().innerText();
    expect(expectationRow).toMatch(/^expectation changed/);
    expect(expectationRow).toContain('should not relay');
    expect(expectationRow).toContain('should relay');
    expect(expectationRow).not.toMatch(/regressed|server answered differently/);

    await compare(1, 0);
    await expect
      .poll(() => summary.innerText())
      .toMatch(/^1 case changed: the server answered differently in 1 \(1 regressed\); \d+ unchanged\.$/);
    const serverRow = changes.first();
    expect(await serverRow.getAttribute('data-change-id')).toBe(OPENED);
    expect(await serverRow.innerText()).toMatch(/^regressed\s+the server answered differently/);
    await serverRow.getByRole('button', { name: /^Compare transcripts: / }).click();
    const diff = page.getByRole('table', { name: /^Transcripts of .*, before and after$/ });
    await diff.waitFor();
    const changed = diff.locator('tr[data-diff="changed"]');
    expect(await changed.count()).toBeGreaterThanOrEqual(1);
    expect(await changed.first().innerText()).toMatch(
      /changed\s+S: 550 5\.7\.1 Relay access denied\s+S: 250 2\.1\.5 ok/,
    );
    expect(await changed.first().locator('mark').first().innerText()).toBe('550');
    expect(await diff.locator('tr[data-diff="same"]', { hasText: 'S: 220 scripted.test ESMTP' }).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('diff-heading');
    // The compare section as a whole (summary, change table, both transcripts): the panel scrolls on its own.
    await page.locator('section.compare').screenshot({ path: path.join(SCREENSHOTS, 'compare-diff.png') });
    await page.getByLabel('Theme').selectOption('dark');
    await page.locator('section.compare').screenshot({ path: path.join(SCREENSHOTS, 'compare-diff-dark.png') });
    await page.getByLabel('Theme').selectOption('light');
  }, 60_000);

  it('labels a run and deletes another after a confirmation', async () => {
    await historyRows()
      .nth(0)
      .getByRole('button', { name: /^Label… / })
      .click();
    await page.getByRole('textbox', { name: /^Label of the run of/ }).fill('after the relay was opened');
    await page.getByRole('button', { name: 'Save label' }).click();
    await expect
      .poll(() => historyRows().nth(0).getByTestId('run-label').innerText())
      .toBe('after the relay was opened');

    const runsFolder = path.join(workspace, 'history.runs');
    const filesBefore = (await fs.readdir(runsFolder)).filter((name) => !name.startsWith('.')).sort();
    expect(filesBefore).toHaveLength(3);
    await historyRows()
      .nth(2)
      .getByRole('button', { name: /^Delete… / })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Delete this run?' });
    await dialog.getByRole('button', { name: 'Keep the run' }).click();
    expect(await historyRows().count()).toBe(3);
    await historyRows()
      .nth(2)
      .getByRole('button', { name: /^Delete… / })
      .click();
    await dialog.getByRole('button', { name: 'Delete the run' }).click();
    await expect.poll(() => historyRows().count()).toBe(2);
    expect((await fs.readdir(runsFolder)).filter((name) => !name.startsWith('.')).sort()).toEqual(filesBefore.slice(1));
    // The run file is untouched by the label: it sits beside the runs.
    const labels = JSON.parse(await fs.readFile(path.join(runsFolder, '.labels.json'), 'utf8'));
    expect(Object.values(labels.labels)).toEqual(['after the relay was opened']);
    await shot('history');
  }, 30_000);

  it('after a reload, the reopened plan shows its latest run without running it', async () => {
    await page.reload();
    await page.getByRole('table', { name: 'Test matrix' }).waitFor();
    await openPlan();
    await expect.poll(() => page.getByTestId('last-run-note').innerText()).toMatch(/^Last run, /);
    expect(await page.getByTestId('run-headline').innerText()).toMatch(/OPEN RELAY/);
    expect(await status(OPENED)).toBe('fail');
    expect(await page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
  }, 30_000);
});
