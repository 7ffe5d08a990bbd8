// Files and the password panel in Debian's Chromium through `relay-tester ui` (with its built-in lab): Open lists
// every JSON file of the workspace and says why the invalid ones cannot open; a plan from elsewhere is imported
// through the file input and by a drop onto the window, as new files of the workspace; Export offers the HTML and
// PDF reports as downloads; the Passwords panel says exactly what is stored, after Set, Forget and New.
// Screenshots: test-artifacts/screenshots/open-dialog.png, password-panel.png.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openAppPage } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { TESTBED_PLAN } from '../support/testbed.js';

const DEMO = 'Relay Tester lab demo';

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let goodPlan: Record<string, unknown>;
const problems: string[] = [];

const notice = () => page.locator('.notice > span').first().innerText();
const documentName = () => page.getByTestId('document-name').innerText();
const status = (account: string) => page.getByTestId(`password-status-${account}`).innerText();

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-files-'));
  goodPlan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8')) as Record<string, unknown>;
  const put = (name: string, value: string) => fs.writeFile(path.join(workspace, name), value);
  await put('postfix.json', JSON.stringify(goodPlan));
  await put('broken.json', '{"relayTesterPlan": 1, "name": "half a pla');
  await put('package.json', JSON.stringify({ name: 'not-a-plan', version: '1.0.0' }));
  await put('old-run.json', JSON.stringify({ relayTesterRun: 1, id: 'r' }));
  await put('bad-port.json', JSON.stringify({ ...goodPlan, servers: [{ name: 'S', host: '127.0.0.1', port: 70000 }] }));
  await put('hostile\u001b[2J.json', '{"\u001b]0;owned\u0007": 1}');
  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);
  browser = await launchChromium();
  page = await openAppPage(browser, url, problems, { viewport: { width: 1366, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('files in the browser', () => {
  it('Open lists every JSON file: the plans, and why each other one cannot open', async () => {
    await page.getByRole('button', { name: 'Open…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open a plan' });
    await dialog.getByRole('heading', { name: '5 files cannot open as plans' }).waitFor();
    expect(await dialog.locator('.plan-choice').count()).toBe(1);
    expect(await dialog.locator('.plan-choice').innerText()).toContain('postfix.json');
    const reasons = await dialog.locator('.unopenable-list').innerText();
    expect(reasons).toMatch(/bad-port\.json \(a plan with problems\)\n[\s\S]*\$\.servers\[0\]\.port/);
    expect(reasons).toMatch(/broken\.json \(not JSON\)\n[\s\S]*Not valid JSON/);
    expect(reasons).toContain('a run file, not a plan');
    expect(reasons).toContain('not a Relay Tester plan: it has no "relayTesterPlan" version field');
    expect(reasons).toContain('hostile\\e[2J.json (not JSON)');
    expect(reasons).not.toContain('\u001b');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'open-dialog.png') });

    // A plan with problems opens in the editor, which lists them.
    await dialog.getByRole('button', { name: 'Open bad-port.json to fix its problems' }).click();
    await expect.poll(() => page.locator('.document-path').innerText()).toBe(path.join(workspace, 'bad-port.json'));
    expect(await page.getByRole('tab', { name: /^Plan/ }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('.problem-summary').innerText()).toContain('Port must be from 1 to 65535');
  });

  it('imports a plan picked with the file input as a new file of the workspace, never over one', async () => {
    const text = JSON.stringify({ ...goodPlan, name: 'Picked from elsewhere' });
    for (const expected of ['postfix (2).json', 'postfix (3).json']) {
      await page.getByRole('button', { name: 'Open…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Open a plan' });
      await dialog
        .getByLabel('Open a plan file from elsewhere')
        .setInputFiles({ name: 'postfix.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await expect.poll(() => page.locator('.document-path').innerText()).toBe(path.join(workspace, expected));
      expect(await documentName()).toBe('Picked from elsewhere');
      expect(await notice()).toBe(`Copied postfix.json to ${path.join(workspace, expected)} and opened it.`);
    }
    // The file that was there is untouched; the copies hold exactly what was picked.
    expect(JSON.parse(await fs.readFile(path.join(workspace, 'postfix.json'), 'utf8'))).toEqual(goodPlan);
    expect(await fs.readFile(path.join(workspace, 'postfix (2).json'), 'utf8')).toBe(text);
    expect(await fs.readFile(path.join(workspace, 'postfix (3).json'), 'utf8')).toBe(text);
  });

  it('imports a file dropped onto the window; a plan with problems opens with them', async () => {
    const dropped = JSON.stringify({ ...goodPlan, name: 'Dropped plan', sender: 'not an address' });
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return transfer;
    }, dropped);
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await page.getByText('Drop a plan file to copy it into the workspace and open it').waitFor();
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await expect.poll(documentName).toBe('Dropped plan');
    expect(await page.getByText('Drop a plan file to copy it into the workspace and open it').count()).toBe(0);
    expect(await notice()).toMatch(/^Copied dropped\.json to .*dropped\.json: it has \d+ problem\(s\) to fix/);
    expect(await page.locator('.problem-summary').innerText()).toContain(
      'Enter a mail address such as helpdesk@corp.example',
    );
    expect(await fs.readFile(path.join(workspace, 'dropped.json'), 'utf8')).toBe(dropped);

    // What cannot open at all is refused, and nothing is written.
    const before = (await fs.readdir(workspace)).sort();
    const garbage = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['no json here'], 'garbage.json', { type: 'application/json' }));
      return transfer;
    });
    await page.dispatchEvent('main', 'drop', { dataTransfer: garbage });
    await expect.poll(notice).toMatch(/^Could not open garbage\.json: garbage\.json cannot be opened: Not valid JSON/);
    expect((await fs.readdir(workspace)).sort()).toEqual(before);
  });

  it('the Passwords panel says exactly what is stored, after Set, Forget and New', async () => {
    // Back to the demo plan against the lab (the start plan of a fresh page).
    await page.reload();
    await expect.poll(documentName).toBe(DEMO);
    await page.getByRole('tab', { name: /^Plan/ }).click();
    const labNote = /^no password stored; on the lab’s servers .* the lab’s own password is used/;
    for (const account of ['alice', 'bob', 'mallory']) await expect.poll(() => status(account)).toMatch(labNote);

    const alice = page.getByRole('form', { name: 'Password of alice' });
    const servers = await alice.getByLabel("Servers for alice's password").inputValue();
    await alice.getByLabel('New password for alice').fill('Typed-For-The-Lab-1');
    await alice.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => status('alice')).toBe(`password stored; sent only to ${servers}`);
    const bob = page.getByRole('form', { name: 'Password of bob' });
    await bob.getByLabel('New password for bob').fill('Typed-For-Bob-1');
    await bob.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => status('bob')).toMatch(/^password stored; sent only to /);
    await page.locator('fieldset.passwords').screenshot({ path: path.join(SCREENSHOTS, 'password-panel.png') });

    await alice.getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => status('alice')).toMatch(labNote);
    expect(await notice()).toBe('Password of alice forgotten.');
    expect(await alice.getByRole('button', { name: 'Forget' }).isDisabled()).toBe(true);

    // New is blank: no account, so no row claims a stored password.
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(documentName).not.toBe(DEMO);
    await page.getByRole('tab', { name: /^Plan/ }).click();
    expect(await page.locator('form.password-row').count()).toBe(0);
    // Back on the demo plan, bob's password is still the one stored, and Forget says so at once.
    await page.reload();
    await expect.poll(documentName).toBe(DEMO);
    await page.getByRole('tab', { name: /^Plan/ }).click();
    await expect.poll(() => status('bob')).toMatch(/^password stored; sent only to /);
    await expect.poll(() => status('alice')).toMatch(labNote);
    await page.getByRole('form', { name: 'Password of bob' }).getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => status('bob')).toMatch(labNote);
  });

  it('Export offers the run’s HTML and PDF reports as downloads', async () => {
    await page.reload();
    await expect.poll(documentName).toBe(DEMO);
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    const exportButton = page.getByRole('button', { name: 'Export report' });
    await expect.poll(() => exportButton.isEnabled(), { timeout: 60_000 }).toBe(true);

    for (const format of ['html', 'pdf'] as const) {
      await page.getByRole('combobox', { name: 'Report format' }).selectOption(format);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), exportButton.click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^Relay-Tester-lab-demo-.*\\.${format}$`));
      const bytes = await fs.readFile(await download.path());
      if (format === 'html') {
        const html = bytes.toString('utf8');
        expect(html).toMatch(/^<!doctype html>/i);
        expect(html).toContain(DEMO);
        expect(html).toContain('31 of 31 cases decided');
      } else {
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
      await expect.poll(notice).toBe(`Report ${download.suggestedFilename()} offered as a download.`);
    }
    // Nothing was written on the server's side.
    expect(await fs.readdir(workspace)).not.toContain('reports');
    expect(problems).toEqual([]);
  }, 120_000);
});
