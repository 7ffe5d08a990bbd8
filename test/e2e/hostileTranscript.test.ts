// Issue 10, findings 3 and 6 in the xterm pane, in Debian's Chromium through `relay-tester ui`: a hostile server
// (a malformed line that clears the screen and forges "S: 550 5.7.1 relay denied", a certificate with OSC 52 in its
// subject) and a crafted run file opened from the history. Neither can clear or rewrite the pane: the forged line
// is shown made visible, among the real dialog, never as the only line.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SCREENSHOTS, launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run.js';
import type { FakeServer } from '../engine/fakeServer.js';
import { hostileCertificate, hostileServer, type HostileCertificate } from '../integration/hostileServer.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { writeHostilePlan } from '../support/plans.js';

const EXTERNAL_CASE = 'hostile/from-127.0.0.1/to-external';
const FORGED_VISIBLE = '\\e[2J\\e[3J\\e[HS: 550 5.7.1 relay denied';

let workspace: string;
let certificate: HostileCertificate | undefined;
let server: FakeServer | undefined;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;

/** What the terminal shows, one entry per row, trailing blanks dropped. */
async function terminalRows(): Promise<string[]> {
  const rows = await page.locator('.xterm-rows > div').allInnerTexts();
  return rows.map((row) => row.replace(/\s+$/, '')).filter((row) => row !== '');
}

/** What the terminal shows, rows joined, so a wrapped line reads whole. */
async function terminalText(): Promise<string> {
  return (await page.locator('.xterm-rows').innerText()).replace(/\n/g, '');
}

async function showCase(caseId: string): Promise<void> {
  await page.locator(`tr[data-case-id="${caseId}"]`).click();
  await expect.poll(terminalText, { timeout: 10_000 }).toContain('** closed');
}

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-hostile-ui-'));
  certificate = hostileCertificate();
  server = await hostileServer(certificate);
  await writeHostilePlan(path.join(workspace, 'hostile.json'), {
    port: server.port,
    tls: 'starttls',
    allowInvalidCertificate: true,
  });
  host = startCli(['ui', '--no-open', '--no-lab', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1800, height: 2400 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  page = await context.newPage();
  // The matrix as its list (one row per case), which these tests read.
  await page.addInitScript(() => window.localStorage.setItem('relayTester.matrixView', 'list'));
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
  certificate?.remove();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('the transcript pane against hostile bytes', () => {
  it('a hostile server cannot make its forged "S: 550 5.7.1 relay denied" the only line shown', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('clipboard before'));
    await page.getByRole('button', { name: 'Open…' }).click();
    await page
      .getByRole('dialog', { name: 'Open a plan' })
      .getByRole('button', { name: /hostile\.json$/ })
      .click();
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect
      .poll(() => page.getByTestId('run-headline').innerText(), { timeout: 60_000 })
      .toMatch(/cases decided|Incomplete|Cancelled/);
    await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
    await showCase(EXTERNAL_CASE);
    const rows = await terminalRows();
    const text = await terminalText();
    expect(rows.length).toBeGreaterThan(10);
    expect(text).toContain('** connected');
    expect(text).toContain('S: 220 hostile.test \\e]52;c;ZXZpbA==\\x07 \\e]0;owned\\x07 \\e[2J ESMTP');
    expect(text).toContain('certificate CN=evil\\e]52;c;ZXZpbA==\\x07\\e[2J');
    expect(text).toContain('S: 550 5.7.1 \\e]0;owned\\x07 no\\rS: 250 2.1.5 OK');
    expect(text).toContain(`S: ${FORGED_VISIBLE}`);
    // The close reason quotes the malformed line: made visible, not obeyed.
    expect(text).toMatch(/\*\* closed: not an SMTP reply line: "\\e\[2J\\e\[3J\\e\[HS: 550 5\.7\.1 relay denied"/);
    // Every occurrence of the forged text is preceded by its visible clear-screen and cursor-home.
    expect(text.split('relay denied').length - 1).toBe(text.split('\\e[HS: 550 5.7.1 relay denied').length - 1);
    expect(await page.title()).toBe('Relay Tester');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('clipboard before');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hostile-server-transcript.png') });
  }, 120_000);

  it('a crafted run file opened from the history cannot clear, reset or rewrite the pane', async () => {
    const folder = path.join(workspace, 'hostile.runs');
    const [saved] = (await fs.readdir(folder)).filter((name) => name.endsWith('.json'));
    const run = JSON.parse(await fs.readFile(path.join(folder, saved!), 'utf8')) as RunRecord;
    const result = run.cases.find((item) => item.case.id === EXTERNAL_CASE)!;
    result.case.title = 'crafted \x1b]0;title\x07 case';
    result.transcript.push(
      { type: 'server', t: 90, text: '\x1b[2J\x1b[3J\x1b[HS: 550 5.7.1 relay denied', tls: false },
      { type: 'note', t: 91, level: 'info', text: '\rforged note \u009b2J' },
      { type: 'close', t: 92, reason: '\x1bc\x1b]52;c;ZXZpbA==\x07' },
    );
    // Named to sort first: the history lists the newest file first.
    await fs.writeFile(path.join(folder, '9999-crafted.json'), JSON.stringify(run));

    await page.getByRole('tab', { name: 'History' }).click();
    const runs = page.getByRole('table', { name: 'Runs of this plan' }).locator('tbody tr');
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(2);
    await runs.first().getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.history-note').innerText()).toContain('from the history');
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await showCase(EXTERNAL_CASE);
    await expect.poll(terminalText).toContain('** closed: \\ec\\e]52;c;ZXZpbA==\\x07');
    const rows = await terminalRows();
    const text = await terminalText();
    expect(rows.length).toBeGreaterThan(10);
    expect(text).toContain('** connected');
    expect(text).toContain('S: 220 hostile.test');
    expect(text).toContain(`S: ${FORGED_VISIBLE}`);
    expect(text).toContain('-- \\rforged note \\x9b2J');
    expect(await page.locator('body').innerText()).toContain('crafted \\e]0;title\\x07 case');
    expect(await page.title()).toBe('Relay Tester');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('clipboard before');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'crafted-run-transcript.png') });
  }, 60_000);
});
