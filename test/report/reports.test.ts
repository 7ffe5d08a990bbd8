// Reports a reviewer reads without the app: the HTML of a real run against Postfix and of a run against a hostile
// server, opened in a real Chromium; the PDF read back with poppler; the comparison of two runs.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import { secretForms } from '../../shared/redact.js';
import type { RunRecord } from '../../shared/run.js';
import { startFakeServer, type FakeConnection, type FakeServer } from '../engine/fakeServer.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import { assertTestbedRunning, PASSWORDS, ROOT, TESTBED_PLAN } from '../support/testbed.js';

let browser: Browser;
let folder: string;
let bedRun: string;
let bedRecord: RunRecord;

async function testbedPlan(): Promise<Plan> {
  const check = checkPlan(JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8')));
  if (!check.ok) throw new Error('invalid test bed plan');
  return check.plan;
}

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
  browser = await launchChromium();
  bedRecord = await runPlan(await testbedPlan(), { passwords: PASSWORDS });
  bedRun = path.join(folder, 'bed-run.json');
  await fs.writeFile(bedRun, JSON.stringify(bedRecord));
});

afterAll(async () => {
  await browser?.close();
  await fs.rm(folder, { recursive: true, force: true });
});

function expectNoSecrets(text: string): void {
  for (const [user, password] of PASSWORDS)
    for (const form of secretForms(user, password)) expect(text).not.toContain(form);
}

async function openReport(file: string) {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`file://${file}`);
  return { page, dialogs };
}

describe('the HTML report of a run against the Postfix test bed', () => {
  it('holds every case, the verdict, the policy, TLS details and no password', async () => {
    const html = path.join(folder, 'bed.html');
    const result = await relayTester(['report', bedRun, '--html', html]);
    expect(result.status).toBe(0);
    const text = await fs.readFile(html, 'utf8');
    expectNoSecrets(text);
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/(src|href)="https?:/i); // no external assets

    const { page } = await openReport(html);
    expect(await page.locator('#verdict').innerText()).toBe(
      `${bedRecord.cases.length} of ${bedRecord.cases.length} cases decided: no open relay found`,
    );
    for (const result of bedRecord.cases) {
      await expect(page.locator(`[id="row-${result.case.id}"]`).count()).resolves.toBe(1);
    }
    expect(await page.locator('details.case').count()).toBe(bedRecord.cases.length);
    const body = await page.locator('body').innerText();
    expect(body).toContain('SMTP Relay Virtual Server');
    expect(body).toContain('127.0.1.0/24');
    // Each server's policy in Exchange System Manager's words.
    const relayRow = page.locator('tr', { hasText: 'SMTP Relay Virtual Server' }).first();
    expect(await relayRow.innerText()).toMatch(
      /Only the list below: 127\.0\.0\.10, 127\.0\.1\.0\/24\s+alice, bob\s+All except the list below: 127\.0\.9\.0\/24/,
    );
    expect(body).toContain(bedRecord.planHash);
    await page.locator('details.case').first().locator('summary').click();
    const firstTranscript = await page.locator('details.case').first().locator('pre.transcript').innerText();
    expect(firstTranscript).toMatch(/S: 220 mail\.corp\.test ESMTP Postfix/);
    const authCase = page.locator('details.case', { hasText: 'alice via SMTP Relay Virtual Server → external' });
    await authCase.locator('summary').click();
    const authText = await authCase.locator('pre.transcript').innerText();
    expect(authText).toContain('AUTH PLAIN <credentials for alice hidden>');
    expect(authText).toMatch(/TLS TLSv1\.3/);
    await page.screenshot({ path: path.join(await artifacts(), 'report-testbed.png'), fullPage: false });
    await page.close();
  });

  it('prints to a PDF with every case in it', async () => {
    const pdf = path.join(folder, 'bed.pdf');
    expect((await relayTester(['report', bedRun, '--pdf', pdf])).status).toBe(0);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(5);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Relay Tester report: Postfix test bed');
    expect(text).toContain(`${bedRecord.cases.length} of ${bedRecord.cases.length} cases decided: no open relay found`);
    // Transcripts are expanded in print: the dialogs themselves are in the PDF.
    expect(text).toContain('AUTH PLAIN <credentials for alice hidden>');
    expectNoSecrets(text);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      path.join(await artifacts(), 'report-testbed-page'),
    ]);
  });
});

async function artifacts(): Promise<string> {
  const folder = path.join(ROOT, 'test-artifacts', 'reports');
  await fs.mkdir(folder, { recursive: true });
  return folder;
}

describe('a report of a hostile server', () => {
  let server: FakeServer;
  const HOSTILE =
    '<script>alert("pwned")</script><img src=x onerror=alert(2)> \x1b]0;owned\x07 \x1b]8;;javascript:alert(3)\x1b\\link';

  beforeAll(async () => {
    server = await startFakeServer(async (connection: FakeConnection) => {
      await connection.send(`220 evil.test ESMTP ${HOSTILE}\r\n`);
      for (;;) {
        const line = await connection.line();
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') await connection.send(`250-evil.test\r\n250 ${HOSTILE}\r\n`);
        else if (verb === 'QUIT') await connection.send('221 bye\r\n');
        else if (verb === 'RCPT') await connection.send(`550 5.7.1 ${HOSTILE}\r\n`);
        else await connection.send('250 ok\r\n');
      }
    });
  });
  afterAll(() => server.close());

  it('shows the server text escaped: no script runs, no element is injected', async () => {
    const plan = await testbedPlan();
    const hostile: Plan = {
      ...plan,
      name: 'Hostile <b>server</b>',
      accounts: [],
      sources: ['127.0.0.5'],
      servers: [
        {
          name: 'Evil <i>server</i>',
          host: server.host,
          port: server.port,
          tls: 'none',
          relay: { users: [], hosts: [] },
          banner: 'evil.test',
        },
      ],
    };
    const run = await runPlan(hostile, { passwords: new Map() });
    expect(run.cases.find((result) => result.case.recipient === 'external')?.verdict).toBe('pass');
    const runFile = path.join(folder, 'hostile-run.json');
    await fs.writeFile(runFile, JSON.stringify(run));
    const html = path.join(folder, 'hostile.html');
    expect((await relayTester(['report', runFile, '--html', html])).status).toBe(0);
    const { page, dialogs } = await openReport(html);
    await page.locator('details.case').first().locator('summary').click();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img, b, i').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe('Relay Tester report: Hostile <b>server</b>');
    const body = await page.locator('body').innerText();
    expect(body).toContain('<script>alert("pwned")</script>');
    expect(body).toContain('\\e]0;owned\\x07');
    expect(body).toContain('\\e]8;;javascript:alert(3)\\e\\\\link');
    expect(await page.locator('a').count()).toBe(0);
    await page.close();
  });
});

describe('the comparison report', () => {
  it('puts the case that turned from pass to fail first', async () => {
    const after: RunRecord = structuredClone(bedRecord);
    const regressed = after.cases.find(
      (result) => result.case.id === 'smtp-relay-virtual-server/from-127.0.2.5/to-external',
    )!;
    regressed.verdict = 'fail';
    regressed.reason =
      'OPEN RELAY: the server accepted the relay recipient ("250 2.1.5 Ok") although the policy denies it';
    regressed.outcome = {
      ...regressed.outcome!,
      outcome: 'recipient-accepted',
      code: 250,
      enhancedCode: '2.1.5',
      text: 'Ok',
    };
    const afterFile = path.join(folder, 'after.json');
    await fs.writeFile(afterFile, JSON.stringify(after));
    const html = path.join(folder, 'compare.html');
    expect((await relayTester(['report', afterFile, '--compare', bedRun, '--html', html])).status).toBe(0);
    const { page } = await openReport(html);
    expect(await page.locator('#verdict').innerText()).toBe(
      '1 case changed: the server answered differently in 1 (1 regressed); 30 unchanged.',
    );
    const firstRow = await page.locator('tbody tr').first().innerText();
    expect(firstRow).toContain('regressed');
    expect(firstRow).toContain('127.0.2.5 via SMTP Relay Virtual Server');
    await page.close();
  });
});
