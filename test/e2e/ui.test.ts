// The app end to end in Debian's Chromium through the browser host (`relay-tester ui`, which starts the built-in
// lab beside it): the demo plan against the lab, a transcript with the AUTH dance redacted, an edited expectation
// saved, reloaded and replayed, the history's compare view, a report, the Postfix test bed, a hostile server's
// escape sequences, and the headline's honesty: a plan not runnable from here reads "Incomplete", a cancelled run
// "Cancelled" with its true count, a run that cannot be saved "Run failed". Screenshots of the main views go to
// test-artifacts/screenshots.
import { promises as fs } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { SCREENSHOTS, launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ACCOUNTS } from '../../main/lab/presets.js';
import { secretForms } from '../../shared/redact.js';
import { startCli, UI_ADDRESS, type RunningProcess } from '../support/cli.js';
import { hostilePlan } from '../support/plans.js';
import { PASSWORDS as POSTFIX_PASSWORDS, TESTBED_PLAN, assertTestbedRunning } from '../support/testbed.js';

const RUN_TIMEOUT = 90_000;
const DEMO = 'Relay Tester lab demo';
const WRONG_CASE = 'smtp-relay-virtual-server/from-127.0.2.5/to-external';
const ALICE_RELAYS = 'smtp-relay-virtual-server/as-alice/to-external';
const LAB_PASSWORDS = new Map(LAB_ACCOUNTS.map((account) => [account.name, account.password]));

// A greeting that tries every trick of docs/reliability.md §24: OSC 52 clipboard write and read, a title change, a
// javascript: link, clear screen, cursor-position and device-attribute queries, a C1 CSI and a right-to-left
// override; EHLO answers with a DCS query.
const HOSTILE_GREETING =
  '220 hostile.test \x1b]52;c;ZXZpbA==\x07 \x1b]52;c;?\x07 \x1b]0;owned\x07 \x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x1b[6n\x1b[c \u009b31m \u202eevil';

interface ScriptedServer {
  server: net.Server;
  sockets: Set<net.Socket>;
}

/**
 * A line-based SMTP server on loopback: each connection is greeted with `greeting`, then `answer` gets each command
 * line, upper-cased, with the connection's socket and number (from 0).
 */
async function startScriptedServer(
  greeting: string,
  answer: (line: string, socket: net.Socket, session: number) => void,
): Promise<ScriptedServer> {
  let sessions = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const session = sessions++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.write(`${greeting}\r\n`);
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        answer(line, socket, session);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets };
}

/**
 * A plain SMTP server that answers the first `fast` sessions in full (local recipients accepted, relaying refused)
 * and then greets, answers EHLO and never answers MAIL: a run against it is cancelled mid-way.
 */
function startSlowServer(fast: number): Promise<ScriptedServer> {
  return startScriptedServer('220 slow.test ESMTP', (line, socket, session) => {
    if (line.startsWith('EHLO')) socket.write('250 slow.test\r\n');
    else if (session >= fast)
      return; // MAIL is never answered
    else if (line.startsWith('RCPT'))
      socket.write(line.includes('@CORP.TEST>') ? '250 ok\r\n' : '554 5.7.1 Relay access denied\r\n');
    else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    else socket.write('250 ok\r\n');
  });
}

/** A scripted SMTP server whose replies carry escape sequences; it accepts only local recipients. */
async function startHostileServer(): Promise<net.Server> {
  const { server } = await startScriptedServer(HOSTILE_GREETING, (line, socket) => {
    if (line.startsWith('EHLO')) socket.write('250-hostile.test \x1bP+q544e\x1b\\\r\n250 8BITMIME\r\n');
    else if (line.startsWith('RCPT'))
      socket.write(line.includes('@CORP.TEST>') ? '250 ok\r\n' : '550 5.7.1 \x1b]0;no relay\x07 relaying denied\r\n');
    else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    else socket.write('250 ok\r\n');
  });
  return server;
}

let workspace: string;
let host: RunningProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let hostile: net.Server | undefined;
let slow: ScriptedServer | undefined;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

function row(caseId: string) {
  return page.locator(`tr[data-case-id="${caseId}"]`);
}

function documentName(): Promise<string> {
  return page.getByTestId('document-name').innerText();
}

/** Open… in the browser: the workspace's plan files, chosen by file name. */
async function openPlan(fileName: string, planName: string): Promise<void> {
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a plan' });
  await dialog.getByRole('button', { name: new RegExp(`${fileName.replace('.', '\\.')}$`) }).click();
  await expect.poll(documentName).toContain(planName);
  await expect.poll(() => page.locator('.document-path').innerText()).toContain(fileName);
}

/** Exports the shown run's report: the browser downloads it (nothing is written on the server). */
async function downloadReport(): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: 'Export report' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.html$/);
  return fs.readFile(await download.path(), 'utf8');
}

async function setPasswords(passwords: ReadonlyMap<string, string>): Promise<void> {
  await page.getByRole('tab', { name: /^Plan/ }).click();
  for (const [account, password] of passwords) {
    const form = page.getByRole('form', { name: `Password of ${account}` });
    await form.getByLabel(`New password for ${account}`).fill(password);
    await form.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => page.getByTestId(`password-status-${account}`).innerText()).toMatch(/^password stored/);
  }
}

/** Starts a run of the open plan from the Matrix tab; returns the run's headline. */
async function startRun(): Promise<Locator> {
  await page.getByRole('tab', { name: /^Matrix/ }).click();
  await page.getByRole('button', { name: '▶ Run' }).click();
  const headline = page.getByTestId('run-headline');
  return headline;
}

/** Runs the open plan and waits until every row has its verdict and the run is saved. */
async function runAndWait(): Promise<string> {
  const headline = await startRun();
  await expect
    .poll(() => headline.innerText(), { timeout: RUN_TIMEOUT, interval: 250 })
    .toMatch(/^(Incomplete: |Cancelled: )?\d+ of \d+ cases? decided/);
  await expect.poll(() => page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
  await expect
    .poll(() => page.getByRole('button', { name: 'Export report' }).isEnabled(), { timeout: 10_000 })
    .toBe(true);
  return headline.innerText();
}

async function statuses(): Promise<Record<string, string>> {
  return page.$$eval('tr[data-case-id]', (rows) =>
    Object.fromEntries(
      rows.map((element) => [
        element.getAttribute('data-case-id'),
        element.querySelector('[data-status]')?.getAttribute('data-status'),
      ]),
    ),
  );
}

/** What the terminal shows (rows joined, so a wrapped line reads whole). */
async function terminalText(): Promise<string> {
  return (await page.locator('.xterm-rows').innerText()).replace(/\n/g, '');
}

/** The transcript as the Copy button puts it on the clipboard (plain text, every line). */
async function copiedTranscript(): Promise<string> {
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

function expectNoSecret(text: string, passwords: ReadonlyMap<string, string>): void {
  for (const [account, password] of passwords) {
    for (const form of secretForms(account, password)) expect(text).not.toContain(form);
  }
}

beforeAll(async () => {
  assertTestbedRunning();
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-e2e-'));
  await fs.copyFile(TESTBED_PLAN, path.join(workspace, 'postfix.json'));
  hostile = await startHostileServer();
  const hostileServerPlan = hostilePlan({
    port: (hostile.address() as AddressInfo).port,
    tls: 'none',
    relay: { users: [], hosts: [] },
  });
  await fs.writeFile(path.join(workspace, 'hostile.json'), JSON.stringify(hostileServerPlan));
  // The test bed's plan as on a helpdesk PC: its sources are not addresses of this machine, except one relay host.
  const postfixPlan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  await fs.writeFile(
    path.join(workspace, 'remote.json'),
    JSON.stringify({
      ...postfixPlan,
      name: 'Remote sources',
      sources: ['203.0.113.9', '198.51.100.0/24', '127.0.0.10'],
    }),
  );
  slow = await startSlowServer(2);
  const slowPlan = {
    ...hostileServerPlan,
    name: 'Slow server',
    sources: ['127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'],
    servers: [
      {
        name: 'Slow',
        host: '127.0.0.1',
        port: (slow.server.address() as AddressInfo).port,
        tls: 'none',
        relay: { users: [], hosts: [] },
      },
    ],
    settings: { concurrency: 1, timeoutSeconds: 120 },
  };
  await fs.writeFile(path.join(workspace, 'slow.json'), JSON.stringify(slowPlan));
  // A plan whose runs folder cannot be made: a regular file stands where it should be.
  await fs.writeFile(
    path.join(workspace, 'unsaved.json'),
    JSON.stringify({ ...hostileServerPlan, name: 'Unsaved runs' }),
  );
  await fs.writeFile(path.join(workspace, 'unsaved.runs'), 'not a folder\n');

  host = startCli(['ui', '--no-open', '--port', '0', '--dir', workspace]);
  const url = await host.waitFor(UI_ADDRESS);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  page = await context.newPage();
  // Every CSP violation, including ones a library catches itself (which Chromium does not log to the console).
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      );
    });
  });
  // These tests read the matrix as its list (one row per case); the grid has test/e2e/largePlan.test.ts.
  await page.addInitScript(() => window.localStorage.setItem('relayTester.matrixView', 'list'));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise((resolve) => (hostile ? hostile.close(resolve) : resolve(undefined)));
  for (const socket of slow?.sockets ?? []) socket.destroy();
  await new Promise((resolve) => (slow ? slow.server.close(resolve) : resolve(undefined)));
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

describe('the app in Chromium through relay-tester ui', () => {
  it('opens the demo plan against the built-in lab on start, with its matrix and the transcript pane', async () => {
    await page.getByRole('table', { name: 'Test matrix' }).waitFor();
    expect(await documentName()).toBe(DEMO);
    expect(await page.locator('.document-path').innerText()).toBe('demo plan against the built-in lab (not saved)');
    await expect.poll(() => page.locator('tr[data-case-id]').count()).toBe(31);
    await page.locator('.xterm').waitFor();
    expect(await page.getByRole('searchbox', { name: 'Search the transcript' }).isVisible()).toBe(true);
    await shot('01-start-demo-plan');
  });

  it('runs the demo plan against the lab: every row passes, and the transcript shows the AUTH dance redacted', async () => {
    await page.getByRole('tab', { name: /^Plan/ }).click();
    // The core supplies the lab's passwords for the demo plan; the panel says where passwords are kept.
    await expect
      .poll(() => page.getByTestId('password-status-alice').innerText())
      .toContain('the lab’s own password is used');
    expect(await page.locator('.passwords').innerText()).toMatch(/memory/i);
    // Addresses are checked as they are typed, with Table 1's advice.
    const sources = page.locator('fieldset[data-path="$.sources"]');
    await sources.getByRole('button', { name: '+ Add source' }).click();
    const entry = sources.getByRole('textbox', { name: 'source 6' });
    await entry.fill('10.0.0.0/33');
    await expect.poll(() => sources.innerText()).toContain('"10.0.0.0/33" is not a valid subnet');
    expect(await page.getByRole('button', { name: 'Sources, entry 6', exact: true }).isVisible()).toBe(true);
    await entry.fill('10.0.0.0/24');
    await expect.poll(() => sources.innerText()).toContain('group of computers (256 addresses)');
    await shot('02-plan-editor');
    await sources.getByRole('button', { name: 'Remove source 6' }).click();
    expect(await documentName()).not.toContain('●');

    const headline = await runAndWait();
    expect(headline).toBe('31 of 31 cases decided: no open relay found');
    const verdicts = await statuses();
    expect(Object.keys(verdicts).length).toBe(31);
    expect(Object.entries(verdicts).filter(([, status]) => status !== 'pass')).toEqual([]);

    await row(ALICE_RELAYS).click();
    await expect.poll(terminalText).toContain('C: AUTH');
    const shown = await terminalText();
    expect(shown).toMatch(
      /C: AUTH PLAIN <credentials for alice hidden>|C: AUTH LOGIN.*<password hidden>|<CRAM-MD5 response for alice hidden>/,
    );
    expect(shown).toContain('S: 235');
    const text = await copiedTranscript();
    expect(text).toMatch(/<(credentials for alice|password|CRAM-MD5 response for alice) hidden>/);
    expect(text).toContain('S: 250 Accepted');
    expectNoSecret(`${await page.locator('body').innerText()}\n${text}`, LAB_PASSWORDS);
    await shot('03-matrix-lab-pass-with-transcript');
  }, 120_000);

  it('edits an expectation, saves, reloads and replays: exactly that case fails', async () => {
    // Save the demo plan into the workspace, and run it once as it is.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saveAs = page.getByRole('dialog', { name: 'Save the plan as' });
    await saveAs.getByLabel(/File name in/).fill('demo.json');
    await saveAs.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.document-path').innerText()).toBe(path.join(workspace, 'demo.json'));
    expect(await runAndWait()).toBe('31 of 31 cases decided: no open relay found');

    // The list only shows expectations: ArrowDown on a row moves the selection and never changes the plan.
    expect(await row(WRONG_CASE).getByRole('combobox').count()).toBe(0);
    expect(await row(WRONG_CASE).locator('.cell-expect').innerText()).toBe('no relay');
    await row(WRONG_CASE).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await documentName()).not.toContain('●');
    // The expectation is overridden through the case's explicit dialog.
    await page.getByRole('button', { name: 'Override expectation…' }).click();
    const override = page.getByRole('dialog', { name: 'Override the expectation' });
    await override.getByRole('radio', { name: /^should relay/ }).check();
    await override.getByRole('button', { name: 'Set expectation' }).click();
    await expect.poll(documentName).toContain('●');
    // The matrix follows the edit in a deferred render (a keystroke never waits for a 5,000-case derivation).
    await expect.poll(() => row(WRONG_CASE).locator('.cell-expect').innerText()).toBe('relay (override)');

    // Unsaved changes are not discarded silently.
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = `${dialog.type()}: ${dialog.message()}`;
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(() => asked).toMatch(/^confirm: Discard the unsaved changes/);
    expect(await documentName()).toContain(DEMO);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(documentName).not.toContain('●');
    const saved = JSON.parse(await fs.readFile(path.join(workspace, 'demo.json'), 'utf8'));
    expect(saved.cases).toEqual([{ id: WRONG_CASE, expect: 'relay' }]);
    expectNoSecret(JSON.stringify(saved), LAB_PASSWORDS);

    await page.reload();
    await page.getByRole('table', { name: 'Test matrix' }).waitFor();
    await openPlan('demo.json', DEMO);
    expect(await row(WRONG_CASE).locator('.cell-expect').innerText()).toBe('relay (override)');

    expect(await runAndWait()).toBe('31 of 31 cases decided: 1 case failed; no open relay found');
    const verdicts = await statuses();
    expect(Object.entries(verdicts).filter(([, status]) => status !== 'pass')).toEqual([[WRONG_CASE, 'fail']]);
    await row(WRONG_CASE).click();
    await expect.poll(terminalText).toContain('S: 550 5.7.1 Unable to relay');
    expect(await row(WRONG_CASE).innerText()).toMatch(/expected to be accepted, but the server refused to relay/);
    await shot('04-matrix-lab-one-fail-with-transcript');

    const report = await downloadReport();
    expect(report).toContain('127.0.2.5 via SMTP Relay Virtual Server');
    expectNoSecret(report, LAB_PASSWORDS);
  }, 180_000);

  it('compares the two runs of the saved plan in the history: only the expectation changed', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    const runs = page.getByRole('table', { name: 'Runs of this plan' }).locator('tbody tr');
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(2);
    await page.getByRole('button', { name: 'Compare the two runs' }).click();
    const changes = page.locator('.compare-table tbody tr');
    await expect.poll(() => changes.count()).toBe(1);
    // The lab answered the same; the plan's expectation changed: that is no regression of the server.
    expect(await changes.first().innerText()).toMatch(
      /expectation changed[\s\S]*127\.0\.2\.5 via SMTP Relay Virtual Server[\s\S]*pass[\s\S]*fail/,
    );
    expect(await changes.first().innerText()).not.toContain('regressed');
    await shot('05-history-compare');

    await runs.last().getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.history-note').innerText()).toContain('from the history');
    expect(Object.values(await statuses()).every((status) => status === 'pass')).toBe(true);
    await page.getByRole('button', { name: 'Back to the current plan' }).click();
  }, 60_000);

  it('runs the Postfix test bed plan: every row passes', async () => {
    await openPlan('postfix.json', 'Postfix test bed');
    await setPasswords(POSTFIX_PASSWORDS);
    expect(await runAndWait()).toMatch(/^(\d+) of \1 cases decided: no open relay found$/);
    const verdicts = await statuses();
    expect(Object.keys(verdicts).length).toBeGreaterThanOrEqual(30);
    expect(Object.entries(verdicts).filter(([, status]) => status !== 'pass')).toEqual([]);
    await row(ALICE_RELAYS).click();
    await expect.poll(terminalText).toContain('C: AUTH');
    const text = await copiedTranscript();
    expect(text).toContain('ESMTP Postfix');
    expectNoSecret(`${await page.locator('body').innerText()}\n${text}`, POSTFIX_PASSWORDS);

    // Search selects the match in the terminal; Copy then copies the selection.
    const search = page.getByRole('searchbox', { name: 'Search the transcript' });
    await search.fill('Authentication successful');
    await search.press('Enter');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('Authentication successful');
    await search.fill('no such text anywhere');
    await search.press('Enter');
    await expect.poll(() => page.locator('.search-note').innerText()).toContain('not found');
    await search.fill('');
    await shot('06-matrix-postfix');
  }, 120_000);

  it("shows a hostile server's escape sequences as visible text: clipboard, title and page untouched", async () => {
    await page.evaluate(() => navigator.clipboard.writeText('clipboard before'));
    const address = page.url();
    await openPlan('hostile.json', 'Hostile server');
    expect(await runAndWait()).toBe('3 of 3 cases decided: no open relay found');
    await row('hostile/banner').click();
    await expect.poll(terminalText).toContain('S: 220 hostile.test');
    const text = await terminalText();
    expect(text).toContain('\\e]52;c;ZXZpbA==\\x07 \\e]52;c;?\\x07 \\e]0;owned\\x07');
    expect(text).toContain('\\e]8;;javascript:alert(1)\\e\\\\click');
    expect(text).toContain('\\e[2J\\e[6n\\e[c \\x9b31m \\u{202e}evil');
    expect(text).toContain('S: 250-hostile.test \\eP+q544e\\e\\\\');
    // Only this case's dialog: the transcripts of cases followed during the run were cleared in order.
    expect(text.match(/\*\* connected/g)).toHaveLength(1);
    expect(await page.title()).toBe('Relay Tester');
    expect(page.url()).toBe(address);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('clipboard before');
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await shot('07-hostile-server-text-made-visible');
  }, 60_000);

  it('is keyboard navigable, and readable in dark theme with large text', async () => {
    await openPlan('demo.json', DEMO);
    await page.getByRole('tab', { name: /^Matrix/ }).click();
    // The matrix is the opened plan's, not the rows of the run just made with another plan: it shows the opened
    // plan's own last saved run.
    await expect.poll(() => page.locator('tr[data-case-id]').count()).toBe(31);
    await expect.poll(() => page.getByTestId('last-run-note').count()).toBe(1);
    expect(await page.getByTestId('run-headline').innerText()).toBe(
      '31 of 31 cases decided: 1 case failed; no open relay found',
    );
    await page.locator('tr[data-case-id]').first().click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = page.locator('tr[data-case-id]').nth(2);
    expect(await third.getAttribute('aria-selected')).toBe('true');
    expect(await third.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('.xterm') !== null)).toBe(true);

    await page.getByLabel('Theme').selectOption('dark');
    await page.getByRole('checkbox', { name: 'Large text' }).check();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('21px');
    await shot('08-dark-large-text');
    await page.getByLabel('Theme').selectOption('light');
    await page.getByRole('checkbox', { name: 'Large text' }).uncheck();
  });

  it('reads "Incomplete" when most of the plan cannot run from this machine, in the app and in its report', async () => {
    await openPlan('remote.json', 'Remote sources');
    await setPasswords(POSTFIX_PASSWORDS);
    const headline = await runAndWait();
    expect(headline).toMatch(
      /^Incomplete: (\d+) of (\d+) cases decided \((\d+) not runnable from this machine\): no open relay among those$/,
    );
    const [, decided, total, notRunnable] = /^Incomplete: (\d+) of (\d+) cases decided \((\d+) not runnable/
      .exec(headline)!
      .map(Number);
    expect(decided! + notRunnable!).toBe(total);
    expect(decided).toBeGreaterThan(0);
    const verdicts = Object.values(await statuses());
    expect(verdicts.filter((status) => status === 'skipped')).toHaveLength(notRunnable!);
    expect(await page.locator('.run-summary').getAttribute('class')).toContain('summary-unsure');
    await shot('10-incomplete-headline');

    expect(await downloadReport()).toContain(`id="verdict">${headline}</p>`);
  }, 120_000);

  it('says "Cancelled" with the true count when a run is cancelled mid-way, and so does the saved run', async () => {
    await openPlan('slow.json', 'Slow server');
    const headline = await startRun();
    // Two cases finish; the third waits for its MAIL reply for ever.
    await expect.poll(() => headline.innerText(), { timeout: RUN_TIMEOUT }).toMatch(/^Running: 2 of 8 done/);
    await expect.poll(() => page.locator('tr[data-case-id] [data-status="running"]').count()).toBe(1);
    await page.getByRole('button', { name: '■ Cancel' }).click();
    await expect.poll(() => headline.innerText(), { timeout: 30_000 }).toMatch(/^Cancelled: /);
    expect(await headline.innerText()).toBe('Cancelled: 2 of 8 cases decided (6 cancelled): no open relay among those');
    expect(await page.locator('.progress-count').innerText()).toBe('2 / 8');
    expect(await page.getByRole('progressbar', { name: 'Run progress' }).getAttribute('value')).toBe('2');
    expect(Object.values(await statuses()).filter((status) => status === 'cancelled')).toHaveLength(6);
    await shot('11-cancelled-headline');

    await page.getByRole('tab', { name: 'History' }).click();
    const runs = page.getByRole('table', { name: 'Runs of this plan' }).locator('tbody tr');
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(1);
    expect(await runs.first().innerText()).toContain(
      'Cancelled: 2 of 8 cases decided (6 cancelled): no open relay among those',
    );
    const [saved] = await fs.readdir(path.join(workspace, 'slow.runs'));
    const record = JSON.parse(await fs.readFile(path.join(workspace, 'slow.runs', saved!), 'utf8'));
    expect(record.cancelled).toBe(true);
    expect(record.summary).toMatchObject({ pass: 2, cancelled: 6, skipped: 0 });
    await page.getByRole('tab', { name: /^Matrix/ }).click();
  }, 120_000);

  it('says "Run failed" with the reason when the run cannot be saved, and lets the user run again', async () => {
    await openPlan('unsaved.json', 'Unsaved runs');
    const headline = await startRun();
    await expect.poll(() => headline.innerText(), { timeout: RUN_TIMEOUT }).toMatch(/^Run failed: /);
    expect(await headline.innerText()).toMatch(
      /^Run failed: could not save the run to .*unsaved\.runs\/[^/]+\.json: .*(ENOTDIR|EEXIST).* — 3 of 3 cases decided: no open relay found$/,
    );
    expect(await page.locator('.run-summary').getAttribute('class')).toContain('summary-fail');
    await expect.poll(() => page.locator('.notice').innerText()).toMatch(/The run failed: could not save the run/);
    expect(await page.getByRole('button', { name: '▶ Run' }).isEnabled()).toBe(true);
    // Nothing already there was lost.
    expect(await fs.readFile(path.join(workspace, 'unsaved.runs'), 'utf8')).toBe('not a folder\n');
    await shot('12-run-failed');
  }, 120_000);

  it('logged no page error and no Content Security Policy violation', () => {
    expect(problems).toEqual([]);
  });

  it('says so clearly when the connection to the host drops', async () => {
    await host?.stop();
    host = undefined;
    await page.getByRole('alert').filter({ hasText: 'Disconnected.' }).waitFor();
    await shot('09-disconnected');
  });
});
