// The app edits and runs a plan with a vantage point, in Debian's Chromium through `relay-tester ui`: a vantage
// point over SSH into the vantage bed's branch namespace (10.77.1.2) is added in the plan editor, its host key is
// fetched and shown but written into the plan only after "Confirm", the editor shows which source it serves, and a
// run against the Postfix test bed's relay server (10.77.0.1:2525, relaying for 10.77.1.0/24) shows the vantage
// point in the matrix and the transcript. Screenshot: test-artifacts/screenshots/vantage-*.png.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SCREENSHOTS, launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertTestbedRunning } from '../support/testbed.js';
import { BRANCH, MAIL_ADDRESS, bedHostKeySha256, startVantageBed } from '../support/vantagebed.js';

const FROM_BRANCH = 'smtp-relay-virtual-server/from-10.77.1.0/24/to-external';
const FROM_HERE = 'smtp-relay-virtual-server/from-127.0.0.5/to-external';

let workspace: string;
let child: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

function startUi(): Promise<string> {
  return new Promise((resolve, reject) => {
    child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/relay-tester.js'), 'ui', '--no-open', '--port', '0', '--dir', workspace],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const timer = setTimeout(() => reject(new Error(`relay-tester ui did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?code=\S+/.exec(output);
      if (url) {
        clearTimeout(timer);
        resolve(url[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

beforeAll(async () => {
  startVantageBed();
  assertTestbedRunning();
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-vantage-e2e-'));
  await fs.copyFile('/etc/relay-tester-vantage/relaytest_key', path.join(workspace, 'relaytest'));
  await fs.chmod(path.join(workspace, 'relaytest'), 0o600);
  const plan = {
    relayTesterPlan: 1,
    name: 'Branch office',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['10.77.1.0/24', '127.0.0.5'],
    servers: [
      {
        name: 'SMTP Relay Virtual Server',
        host: MAIL_ADDRESS,
        port: 2525,
        allowInvalidCertificate: true,
        helo: 'relay-tester.invalid',
        relay: { users: [], hosts: ['10.77.1.0/24'] },
      },
    ],
  };
  await fs.writeFile(path.join(workspace, 'branch.json'), JSON.stringify(plan));
  const url = await startUi();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1600, height: 1100 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  page = await context.newPage();
  // The matrix as its list (one row per case), which these tests read.
  await page.addInitScript(() => window.localStorage.setItem('relayTester.matrixView', 'list'));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('vantage points in the app', () => {
  it('adds a vantage point, fetches and confirms its host key, runs from it and shows it in the matrix and transcript', async () => {
    await page.getByRole('button', { name: 'Open…' }).click();
    await page
      .getByRole('dialog', { name: 'Open a plan' })
      .getByRole('button', { name: /branch\.json$/ })
      .click();
    await expect.poll(() => page.getByTestId('document-name').innerText()).toContain('Branch office');

    // Before: this machine's end of the link into the branch network (10.77.1.1) would serve the subnet; Postfix
    // would see 10.77.1.1, not a branch machine.
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await expect
      .poll(() => page.locator(`tr[data-case-id="${FROM_BRANCH}"] .cell-source`).innerText())
      .toContain('local 10.77.1.1');

    await page.getByRole('tab', { name: /^Plan/ }).click();
    await page.getByRole('button', { name: '+ Add vantage point' }).click();
    const point = page.locator('fieldset.vantage-point').first();
    await point.getByLabel('Name', { exact: true }).fill('branch');
    await point.getByLabel('SSH host').fill(BRANCH.host);
    await point.getByLabel('User').fill(BRANCH.user);
    await point.getByLabel('Key file (relative to the plan)').fill('relaytest');
    await point.getByRole('button', { name: '+ Add served source' }).click();
    await point.getByRole('textbox', { name: 'served source 1' }).fill('10.77.1.0/24');

    // Fetch: the key is shown, not trusted; only Confirm writes it into the plan.
    await point.getByRole('button', { name: 'Fetch host key' }).click();
    const fetched = point.getByRole('group', { name: 'Fetched host key' });
    await expect.poll(() => fetched.innerText(), { timeout: 15_000 }).toContain(bedHostKeySha256());
    expect(await fetched.innerText()).toContain(`${BRANCH.host}:22 shows the ssh-ed25519 host key`);
    expect(await point.getByLabel('Host key fingerprint').inputValue()).toBe('');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'vantage-1-fetched-host-key.png') });
    await fetched.getByRole('button', { name: 'Confirm and trust this key' }).click();
    expect(await point.getByLabel('Host key fingerprint').inputValue()).toBe(bedHostKeySha256());

    // The core binds the subnet to the vantage point; the editor says so.
    await expect
      .poll(() => page.getByTestId('vantage-served-0').innerText(), { timeout: 10_000 })
      .toBe('Serves the plan’s 10.77.1.0/24.');

    // Saved into the plan file as written, with no secret in it.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => JSON.parse(await fs.readFile(path.join(workspace, 'branch.json'), 'utf8')).vantagePoints, {
        timeout: 10_000,
      })
      .toEqual([
        {
          name: 'branch',
          ssh: {
            host: BRANCH.host,
            port: 22,
            user: BRANCH.user,
            identityFile: 'relaytest',
            hostKeySha256: bedHostKeySha256(),
          },
          serves: ['10.77.1.0/24'],
        },
      ]);

    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    const headline = page.getByTestId('run-headline');
    await expect
      .poll(() => headline.innerText(), { timeout: 90_000, interval: 250 })
      .toMatch(/^\d+ of \d+ cases? decided/);
    expect(await headline.innerText()).toMatch(/^(\d+) of \1 cases decided: no open relay found$/);

    const branchRow = page.locator(`tr[data-case-id="${FROM_BRANCH}"]`);
    expect(await branchRow.locator('[data-status]').getAttribute('data-status')).toBe('pass');
    expect(await branchRow.locator('.row-vantage').innerText()).toBe('via branch');
    expect(await branchRow.locator('.cell-source').innerText()).not.toContain('local');
    expect(await page.locator(`tr[data-case-id="${FROM_HERE}"] .row-vantage`).count()).toBe(0);

    await branchRow.click();
    await expect
      .poll(() => page.locator('.transcript-meta').first().innerText())
      .toContain(`from vantage point branch (ssh relaytest@${BRANCH.host}:22)`);
    await expect
      .poll(async () => (await page.locator('.xterm-rows').innerText()).replace(/\n/g, ''))
      .toContain('221 2.0.0 Bye');
    // The whole transcript, as Copy puts it on the clipboard: the first note says how the session was opened.
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      `connecting via ssh relaytest@${BRANCH.host}:22`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'vantage-2-run-from-branch.png') });
    expect(problems).toEqual([]);
  }, 150_000);
});
