// Passwords are bound to servers, in Debian's Chromium through `relay-tester ui`: alice's password is typed with
// the Postfix test bed plan open (so it is bound to the test bed's servers), then a plan from a stranger that also
// points alice at an attacker's listener is run. The app asks first, listing the account and the new server;
// denied, the listener gets nothing and the cases say why; allowed for the run, the password is sent.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SCREENSHOTS, launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../shared/redact.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { startCredentialTrap, strangersPlan, type CredentialTrap } from '../support/credentialTrap.js';
import { PASSWORDS, TESTBED_PLAN, assertTestbedRunning } from '../support/testbed.js';

const ALICE_PASSWORD = PASSWORDS.get('alice')!;

let workspace: string;
let trap: CredentialTrap;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

async function openPlan(fileName: string, planName: string): Promise<void> {
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a plan' });
  await dialog.getByRole('button', { name: new RegExp(`${fileName.replace('.', '\\.')}$`) }).click();
  await expect.poll(() => page.getByTestId('document-name').innerText()).toContain(planName);
}

/** Waits until the run is over and saved (Run is enabled again and its report can be exported). */
async function runEnds(): Promise<void> {
  await expect
    .poll(() => page.getByRole('button', { name: 'Export report' }).isEnabled(), { timeout: 60_000 })
    .toBe(true);
  await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
}

async function statuses(): Promise<Record<string, string>> {
  return page.$$eval('tr[data-case-id]', (rows) =>
    Object.fromEntries(
      rows.map((element) => [
        element.getAttribute('data-case-id'),
        element.querySelector('[data-status]')?.getAttribute('data-status') ?? '',
      ]),
    ),
  );
}

function expectTrapGotNoPassword(): void {
  expect(trap.credentials.filter((credential) => credential.password === ALICE_PASSWORD)).toEqual([]);
  for (const form of secretForms('alice', ALICE_PASSWORD)) expect(trap.received()).not.toContain(form);
}

beforeAll(async () => {
  assertTestbedRunning();
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-consent-'));
  trap = await startCredentialTrap();
  await fs.copyFile(TESTBED_PLAN, path.join(workspace, 'postfix.json'));
  await fs.writeFile(path.join(workspace, 'stranger.json'), JSON.stringify(strangersPlan(trap)));
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  // The matrix as its list (one row per case), which these tests read.
  await page.addInitScript(() => window.localStorage.setItem('relayTester.matrixView', 'list'));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.getByRole('table', { name: 'Test matrix' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await trap?.close();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('passwords bound to servers in the app', () => {
  it('binds a password typed with the test bed plan open to the test bed’s servers, shown and editable', async () => {
    await openPlan('postfix.json', 'Postfix test bed');
    await page.getByRole('tab', { name: /^Plan/ }).click();
    const form = page.getByRole('form', { name: 'Password of alice' });
    const servers = form.getByLabel("Servers for alice's password");
    expect(await servers.inputValue()).toBe('127.0.0.1:2525, 127.0.0.2:2525');
    await servers.fill('127.0.0.2:2525, not a server');
    await form.getByLabel('New password for alice').fill(ALICE_PASSWORD);
    await form.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => form.innerText()).toContain('"not" is not host:port');
    await servers.fill('127.0.0.1:2525, 127.0.0.2:2525');
    await form.getByRole('button', { name: 'Set' }).click();
    await expect
      .poll(() => page.getByTestId('password-status-alice').innerText())
      .toBe('password stored; sent only to 127.0.0.1:2525, 127.0.0.2:2525');
    expect(await form.getByLabel('New password for alice').inputValue()).toBe('');
  }, 60_000);

  it('asks before a stranger’s plan sends it to a new server; denied, the listener gets nothing', async () => {
    await openPlan('stranger.json', 'Plan from a stranger');
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send passwords to new servers?' });
    await dialog.waitFor();
    const use = dialog.getByRole('group', { name: `alice's password to 127.0.0.1:${trap.port}` });
    expect(await use.getByRole('radio', { name: 'Deny' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('group').count()).toBe(1); // the test bed is not asked about: alice's password is bound to it
    await page.screenshot({ path: path.join(SCREENSHOTS, '08-password-consent.png') });
    expect(trap.connections).toBe(0);
    await dialog.getByRole('button', { name: 'Run' }).click();
    await runEnds();

    const verdicts = await statuses();
    // Alice's cases with her real password (the wrong-password case sends a made-up one, no secret).
    const withPassword = ([id]: [string, string]) => id.includes('/as-alice/') && !id.endsWith('/wrong-password');
    const collector = Object.entries(verdicts).filter(
      (entry) => entry[0].startsWith('collector/') && withPassword(entry),
    );
    expect(collector.length).toBeGreaterThan(0);
    expect(collector.every(([, status]) => status === 'skipped')).toBe(true);
    const relay = Object.entries(verdicts).filter((entry) => entry[0].startsWith('relay/') && withPassword(entry));
    expect(relay.length).toBeGreaterThan(0);
    expect(relay.every(([, status]) => status === 'pass')).toBe(true);
    const [skippedId] = collector[0]!;
    expect(await page.locator(`tr[data-case-id="${skippedId}"]`).innerText()).toContain(
      `alice's password was not sent to 127.0.0.1:${trap.port}`,
    );
    expectTrapGotNoPassword();
  }, 90_000);

  it('closing the question runs nothing; allowing it for this run sends the password there once', async () => {
    await page.getByRole('button', { name: '▶ Run' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send passwords to new servers?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(trap.connections).toBeGreaterThan(0); // from the denied run's unauthenticated cases
    const before = trap.connections;
    await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
    expect(trap.connections).toBe(before);
    expectTrapGotNoPassword();

    await page.getByRole('button', { name: '▶ Run' }).click();
    await dialog.getByRole('radio', { name: 'Allow for this run' }).check();
    await dialog.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(
        () =>
          trap.credentials.some((credential) => credential.user === 'alice' && credential.password === ALICE_PASSWORD),
        { timeout: 30_000 },
      )
      .toBe(true);
    await runEnds();
    await page.getByRole('tab', { name: /^Plan/ }).click();
    expect(await page.getByTestId('password-status-alice').innerText()).toBe(
      'password stored; sent only to 127.0.0.1:2525, 127.0.0.2:2525',
    );
    expect(problems).toEqual([]);
  }, 90_000);
});
