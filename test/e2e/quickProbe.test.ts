// The quick probe end to end in Debian's Chromium through `relay-tester ui` and its built-in lab: alice probed from
// the matrix's case with AUTH LOGIN (shown, her credentials redacted in the terminal), an unapproved source refused
// with 550, the probe copied as relay-tester and swaks commands, and added to the plan as a case. Screenshots:
// test-artifacts/screenshots/quick-probe.png and quick-probe-dark.png.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ACCOUNTS } from '../../main/lab/presets.js';
import { secretForms } from '../../shared/redact.js';
import { SCREENSHOTS, launchChromium, openAppPage } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';

const ALICE_RELAYS = 'smtp-relay-virtual-server/as-alice/to-external';
const UNAPPROVED = 'smtp-relay-virtual-server/from-127.0.0.5/to-external';
const ALICE_PASSWORD = LAB_ACCOUNTS.find((account) => account.name === 'alice')!.password;

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

/** The quick probe's tab panel: its labels are its own (the plan editor has a "Port" too). */
function panel() {
  return page.locator('#panel-probe');
}

function probeTerminal(): Promise<string> {
  return page.locator('#panel-probe .xterm-rows').innerText();
}

function outcome(): Promise<string> {
  return page.getByTestId('probe-outcome').innerText();
}

/** Selects a case in the matrix and fills the probe form from it. */
async function probeCase(caseId: string): Promise<void> {
  await page.getByRole('tab', { name: /^Matrix/ }).click();
  await page.locator(`tr[data-case-id="${caseId}"]`).click();
  await page.getByRole('tab', { name: 'Quick probe' }).click();
  await page.getByRole('button', { name: /^Probe the selected case/ }).click();
}

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-probe-e2e-'));
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await openAppPage(browser, url, problems, {
    viewport: { width: 1600, height: 1100 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('the quick probe in Chromium', () => {
  it('says what to fix beside the field, in plain words', async () => {
    await page.getByRole('tab', { name: 'Quick probe' }).click();
    const port = panel().getByLabel('Port', { exact: true });
    await port.fill('70000');
    await port.press('Control+Enter');
    await expect.poll(() => page.locator('#probe-port-problem').innerText()).toBe('Port must be from 1 to 65535.');
    expect(await port.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('probe-port');
  });

  it('probes the lab as alice with AUTH LOGIN, live in the terminal, her credentials redacted', async () => {
    await probeCase(ALICE_RELAYS);
    expect(await panel().getByLabel('Account (empty: no login)').inputValue()).toBe('alice');
    await panel().getByLabel('AUTH mechanism').selectOption('login');
    await panel().getByLabel('MAIL FROM').press('Control+Enter');
    await expect.poll(outcome, { timeout: 30_000 }).toMatch(/^✓ Accepted\s+Outcome: recipient-accepted at rcpt 250/);
    await expect.poll(probeTerminal).toContain('C: AUTH LOGIN');
    const shown = await probeTerminal();
    expect(shown).toContain('<password hidden>');
    for (const form of secretForms('alice', ALICE_PASSWORD)) expect(shown).not.toContain(form);
    expect(await outcome()).toContain('from 127.0.0.5');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quick-probe.png') });
    await page.getByLabel('Theme').selectOption('dark');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quick-probe-dark.png') });
    await page.getByLabel('Theme').selectOption('light');
  });

  it('refuses an unapproved source with 550', async () => {
    await probeCase(UNAPPROVED);
    expect(await panel().getByLabel('Account (empty: no login)').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Probe', exact: true }).click();
    await expect
      .poll(outcome, { timeout: 30_000 })
      .toMatch(/^✗ Refused\s+Outcome: recipient-rejected at rcpt 550 5\.7\.1: Unable to relay/);
    await expect.poll(probeTerminal).toContain('S: 550 5.7.1 Unable to relay');
  });

  it('copies the probe as relay-tester and swaks commands, without a password', async () => {
    await page.getByRole('button', { name: 'Copy the swaks command' }).click();
    const swaks = await page.getByTestId('probe-command-swaks').innerText();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(swaks);
    expect(swaks).toMatch(
      /^swaks --server 127\.0\.0\.2 --port \d+ --tls-optional-strict --local-interface 127\.0\.0\.5 /,
    );
    expect(swaks).toContain('--quit-after RCPT');
    await page.getByRole('button', { name: 'Copy the relay-tester command' }).click();
    const relayTester = await page.getByTestId('probe-command-relay-tester').innerText();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(relayTester);
    expect(relayTester).toMatch(/^relay-tester probe --host 127\.0\.0\.2 --port \d+ --tls auto --pin-sha256 \S+ /);
    expect(relayTester).toContain('--source 127.0.0.5');
    for (const line of [swaks, relayTester]) expect(line).not.toContain(ALICE_PASSWORD);
  });

  it('adds the probe to the plan as a case expecting what the server did', async () => {
    expect(await panel().getByLabel('The plan expects').inputValue()).toBe('deny');
    await page.getByRole('button', { name: 'Add to plan as a case' }).click();
    await expect.poll(() => page.locator('.notice').innerText()).toContain('Added a case expecting "deny"');
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await expect.poll(() => page.locator('tr[data-case-id^="probe/"]').count()).toBe(1);
    expect(await page.locator('tr[data-case-id^="probe/"]').innerText()).toContain('Probe: no login from 127.0.0.5');
    expect(await page.getByLabel('unsaved changes').count()).toBe(1);
  });

  it('fits a 900 px window: form above the dialog, nothing cut off sideways', async () => {
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.getByRole('tab', { name: 'Quick probe' }).click();
    const overflow = await page
      .locator('#panel-probe')
      .evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBe(0);
    await page.getByRole('region', { name: 'Quick probe dialog' }).scrollIntoViewIfNeeded();
    expect(await page.getByRole('region', { name: 'Quick probe dialog' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quick-probe-900.png') });
    expect(problems).toEqual([]);
  });
});
