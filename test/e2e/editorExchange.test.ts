// The plan editor in Exchange terms, in Debian's Chromium through `relay-tester ui`: New opens a blank plan with the
// guided start; its steps take the keyboard to the server, the policy (relay restrictions, authenticated relay,
// connection control), the accounts and the sources; a bad port is explained beside the field and tied to it with
// aria-describedby; the plan is saved as the user set it. Screenshots: test-artifacts/screenshots/editor-new-guide.png,
// editor-exchange.png (light) and editor-exchange-dark.png.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openAppPage } from '../support/browser.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';

const SERVER = 'SMTP Relay Virtual Server';

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-editor-e2e-'));
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

/** The name of the focused control (aria-label, label or text), to check where a step took the keyboard. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return '';
    return element.getAttribute('aria-label') ?? element.closest('label')?.textContent ?? element.textContent ?? '';
  });
}

describe('the editor in Exchange terms', () => {
  it('starts New blank, walks the guided start, explains a bad port beside the field and saves', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const guide = page.getByRole('navigation', { name: 'Guided start' });
    await guide.waitFor();
    expect(await page.getByTestId('document-name').innerText()).toBe('Untitled plan');
    // Blank: no accounts, no sources, nothing aimed at the lab.
    expect(await page.getByRole('textbox', { name: /^account \d/ }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /^source \d/ }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Port of Server 1', exact: true }).inputValue()).toBe('25');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'editor-new-guide.png') });

    // Step 1: the server.
    expect(await focused()).toMatch(/^1\. Server \(\d+ to fix\)$/);
    await guide.getByRole('button', { name: /^1\. Server/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-name');
    await page.keyboard.type('Relay lockdown of corp.test');
    await page.getByRole('textbox', { name: 'local domain 1' }).fill('corp.test');
    await page.getByRole('textbox', { name: 'External domain (the relay target)' }).fill('external.example');
    await page.getByRole('textbox', { name: 'Sender (MAIL FROM of unauthenticated cases)' }).fill('helpdesk@corp.test');
    await page.getByRole('textbox', { name: 'Name of Server 1', exact: true }).fill(SERVER);
    await page.getByRole('textbox', { name: `Host of ${SERVER}`, exact: true }).fill('127.0.0.2');

    // A port out of range: the problem in words beside the field, tied to it, and named in the summary.
    const port = page.getByRole('textbox', { name: `Port of ${SERVER}`, exact: true });
    await port.fill('70000');
    await expect.poll(() => port.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await port.getAttribute('aria-describedby')) ?? '';
    const note = page.locator(`[id="${describedBy}"]`);
    const noteText = await note.innerText();
    expect(noteText).toMatch(/65535/);
    expect(noteText).not.toContain('$.');
    expect(
      await note.evaluate(
        (element, input) => element.closest('.field') === input?.closest('.field'),
        await port.elementHandle(),
      ),
    ).toBe(true);
    await page.getByRole('button', { name: `Port of ${SERVER}`, exact: true }).click();
    expect(await focused()).toBe(`Port of ${SERVER}`);
    await port.fill('2525');
    await expect.poll(() => port.getAttribute('aria-invalid')).toBeNull();

    // Step 2: the policy, as on the Access tab.
    await guide.getByRole('button', { name: 'Next: Policy' }).click();
    expect(await focused()).toBe('Only the list below');
    const relay = page.getByRole('group', { name: `Relay restrictions of ${SERVER}` });
    await relay.getByRole('button', { name: `+ Add relay host of ${SERVER}` }).click();
    await page.keyboard.type('127.0.0.10');
    const connection = page.getByRole('group', { name: `Connection control of ${SERVER}` });
    expect(await connection.getByRole('radio', { name: 'All except the list below' }).isChecked()).toBe(true);
    await connection.getByRole('button', { name: `+ Add connection control entry of ${SERVER}` }).click();
    await page.keyboard.type('127.0.9.0/24');
    const auth = page.getByRole('group', { name: `Authentication of ${SERVER}` });
    await auth.getByRole('combobox', { name: `AUTH mechanism of ${SERVER}` }).selectOption('login');
    expect(await auth.getByRole('textbox', { name: `EHLO name of ${SERVER}` }).getAttribute('placeholder')).toBe(
      'relay-tester.invalid',
    );

    // Step 3: the accounts, and who has Relay permission.
    await guide.getByRole('button', { name: 'Next: Accounts' }).click();
    expect(await focused()).toMatch(/\+ Add account/);
    await page.keyboard.press('Enter');
    await page.keyboard.type('alice');
    await page.getByRole('button', { name: '+ Add account' }).click();
    await page.keyboard.type('mallory');
    await relay.getByRole('checkbox', { name: `alice may relay through ${SERVER}` }).check();

    // Step 4: the sources.
    await guide.getByRole('button', { name: 'Next: Sources' }).click();
    await page.keyboard.press('Enter');
    await page.keyboard.type('127.0.0.5');
    await page.getByRole('button', { name: '+ Add source' }).click();
    await page.keyboard.type('127.0.0.10');
    await expect.poll(() => page.locator('.plan-ok').first().innerText()).toMatch(/^✔ The plan is valid/);
    expect(await guide.innerText()).not.toMatch(/to fix/);

    await relay.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'editor-exchange.png') });
    await page.getByLabel('Theme').selectOption('dark');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'editor-exchange-dark.png') });
    await page.getByLabel('Theme').selectOption('light');

    await guide.getByRole('button', { name: 'Finish' }).click();
    expect(await guide.count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saveAs = page.getByRole('dialog', { name: 'Save the plan as' });
    await saveAs.getByLabel(/File name in/).fill('exchange.json');
    await saveAs.getByRole('button', { name: 'Save' }).click();
    const file = path.join(workspace, 'exchange.json');
    await expect.poll(() => page.locator('.document-path').innerText()).toBe(file);
    const saved = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(saved).toMatchObject({
      name: 'Relay lockdown of corp.test',
      accounts: ['alice', 'mallory'],
      sources: ['127.0.0.5', '127.0.0.10'],
      servers: [
        {
          name: SERVER,
          host: '127.0.0.2',
          port: 2525,
          authMechanism: 'login',
          relay: { mode: 'only', users: ['alice'], hosts: ['127.0.0.10'] },
          connect: { deny: ['127.0.9.0/24'] },
        },
      ],
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
