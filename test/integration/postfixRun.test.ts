// `relay-tester run` and `compare` against the real Postfix test bed: the committed plan passes, a wrong
// expectation fails exactly its case, a policy change shows up in compare, and no password leaks anywhere.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Utf8, secretForms } from '../../shared/redact.js';
import type { RunRecord } from '../../shared/run.js';
import { classifyOutcome } from '../../shared/outcome.js';
import { relayTester, temporaryFolder, writeSecrets } from '../support/cli.js';
import { assertTestbedRunning, CONF_DIR, PASSWORDS, probe, RELAY_SERVER, TESTBED_PLAN } from '../support/testbed.js';

let folder: string;
let secrets: string;

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
  secrets = await writeSecrets(folder, PASSWORDS);
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

async function readRun(file: string): Promise<RunRecord> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as RunRecord;
}

function expectNoSecrets(text: string): void {
  for (const [user, password] of PASSWORDS) {
    for (const form of secretForms(user, password)) expect(text).not.toContain(form);
    expect(text).not.toContain(base64Utf8(password));
  }
}

describe('relay-tester run against the test bed', () => {
  it('passes every case of the committed plan, saves the run and writes valid JUnit', async () => {
    const out = path.join(folder, 'run.json');
    const junit = path.join(folder, 'junit.xml');
    const result = await relayTester(['run', TESTBED_PLAN, '--secrets', secrets, '--out', out, '--junit', junit]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const run = await readRun(out);
    expect(run.cases.length).toBeGreaterThanOrEqual(30);
    expect(run.cases.filter((testCase) => testCase.verdict !== 'pass').map((testCase) => testCase.case.id)).toEqual([]);
    expect(run.summary.pass).toBe(run.cases.length);
    expect(run.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.sources.find((binding) => binding.source === '127.0.1.0/24')?.local).toBe('127.0.1.1');

    const xml = await fs.readFile(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suites = parsed.testsuites.testsuite as { '@_name': string; '@_tests': string; testcase: unknown[] }[];
    expect(suites.map((suite) => suite['@_name']).sort()).toEqual([
      'Default SMTP Virtual Server',
      'SMTP Relay Virtual Server',
    ]);
    expect(suites.reduce((sum, suite) => sum + Number(suite['@_tests']), 0)).toBe(run.cases.length);
    expect(xml).toContain('AUTH PLAIN &lt;credentials for alice hidden&gt;');

    expectNoSecrets(result.stdout + result.stderr + xml + (await fs.readFile(out, 'utf8')));
  });

  it('replays the plan stored in a saved run, next month as today', async () => {
    const first = path.join(folder, 'first.json');
    expect((await relayTester(['run', TESTBED_PLAN, '--secrets', secrets, '--out', first])).status).toBe(0);
    const replay = await relayTester(['run', first, '--secrets', secrets]);
    expect(replay.status).toBe(0);
    const saved = /^Run saved to (.+)$/m.exec(replay.stdout)?.[1];
    expect(path.dirname(saved!)).toBe(folder);
    const compared = await relayTester(['compare', first, saved!]);
    expect(compared.stdout).toMatch(/^No case changed \(\d+ unchanged\)\.$/m);
    expect((await readRun(saved!)).planHash).toBe((await readRun(first)).planHash);
  });

  it('fails exactly the case whose expectation is deliberately wrong, with exit status 1', async () => {
    const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
    const wrongId = 'smtp-relay-virtual-server/from-127.0.2.5/to-external';
    plan.cases = [{ id: wrongId, expect: 'relay', $comment: 'deliberately wrong: the server refuses 127.0.2.5' }];
    const planFile = path.join(folder, 'wrong.json');
    await fs.writeFile(planFile, JSON.stringify(plan));
    const out = path.join(folder, 'wrong-run.json');
    const junit = path.join(folder, 'wrong-junit.xml');
    const result = await relayTester(['run', planFile, '--secrets', secrets, '--out', out, '--junit', junit]);
    expect(result.status).toBe(1);
    const failures = new XMLParser({ ignoreAttributes: false })
      .parse(await fs.readFile(junit, 'utf8'))
      .testsuites.testsuite.flatMap(
        (suite: { testcase: { failure?: { '@_message': string }; 'system-out': string }[] }) => suite.testcase,
      )
      .filter((testcase: { failure?: unknown }) => testcase.failure);
    expect(failures).toHaveLength(1);
    expect(failures[0].failure['@_message']).toMatch(/expected to be accepted, but the server refused to relay/);
    expect(failures[0]['system-out']).toMatch(/S: 554 5\.7\.1 <relay-test@external\.example>: Relay access denied/);
    const run = await readRun(out);
    const failed = run.cases.filter((testCase) => testCase.verdict === 'fail');
    expect(failed.map((testCase) => testCase.case.id)).toEqual([wrongId]);
    expect(failed[0]?.reason).toMatch(/expected to be accepted, but the server refused to relay/);
    expect(result.stdout).toMatch(/FAIL\s+127\.0\.2\.5 via SMTP Relay Virtual Server/);
  });

  it('refuses a secrets file that others can read', async () => {
    const loose = await writeSecrets(await temporaryFolder(), PASSWORDS, 0o644);
    const result = await relayTester(['run', TESTBED_PLAN, '--secrets', loose]);
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/readable by group or others \(mode 644\); run: chmod 600/);
    expectNoSecrets(result.stdout + result.stderr);
  });

  it('reports every problem of an invalid plan with its JSON path and runs nothing', async () => {
    const planFile = path.join(folder, 'invalid.json');
    await fs.writeFile(
      planFile,
      JSON.stringify({
        relayTesterPlan: 1,
        name: 'broken',
        domains: { local: ['corp.test'], external: 'external.example' },
        sender: 'not-an-address',
        accounts: ['alice'],
        sources: ['127.0.0.300'],
        servers: [
          {
            name: 'x',
            host: '127.0.0.2',
            port: 70000,
            relay: { users: ['zoe'], hosts: ['10.0.0.0/33'] },
            password: 'x',
          },
        ],
      }),
    );
    const result = await relayTester(['run', planFile]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('$.servers[0].password: Plans never hold passwords');
    const fixed = path.join(folder, 'invalid2.json');
    const plan = JSON.parse(await fs.readFile(planFile, 'utf8'));
    delete plan.servers[0].password;
    await fs.writeFile(fixed, JSON.stringify(plan));
    const second = await relayTester(['run', fixed]);
    expect(second.status).toBe(3);
    expect(second.stderr).toContain('$.sender: Enter a mail address such as helpdesk@corp.example');
    expect(second.stderr).toContain('$.sources[0]: "127.0.0.300" is not a valid IPv4 address');
    expect(second.stderr).toContain('$.servers[0].port:');
    expect(second.stderr).toContain('$.servers[0].relay.hosts[0]: "10.0.0.0/33" is not a valid subnet');
    expect(second.stdout).not.toContain('Running');
  });
});

describe('relay-tester compare after the test bed policy changes', () => {
  const cidrFile = path.join(CONF_DIR, 'relay_allowed_clients.cidr');
  const newcomer = '127.0.4.4';
  let original: string | undefined;

  async function reloadUntil(expected: 'recipient-accepted' | 'recipient-rejected') {
    execFileSync('postfix', ['-c', CONF_DIR, 'reload'], { stdio: 'pipe' });
    // The reload is asynchronous: each new smtpd reads the table, so ask until the new policy answers.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (classifyOutcome(await probe({ server: RELAY_SERVER, source: newcomer })).outcome === expected) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Postfix did not apply the policy change (${expected})`);
  }

  afterAll(async () => {
    if (original !== undefined) {
      await fs.writeFile(cidrFile, original);
      await reloadUntil('recipient-rejected');
    }
  });

  it('lists the case that turned from pass to fail first', async () => {
    const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
    plan.name = 'policy change';
    plan.sources = ['127.0.0.5', newcomer];
    plan.servers = plan.servers.filter((server: { name: string }) => server.name === 'SMTP Relay Virtual Server');
    const planFile = path.join(folder, 'change.json');
    await fs.writeFile(planFile, JSON.stringify(plan));
    const before = path.join(folder, 'before.json');
    const after = path.join(folder, 'after.json');
    expect((await relayTester(['run', planFile, '--secrets', secrets, '--out', before])).status).toBe(0);

    original = await fs.readFile(cidrFile, 'utf8');
    await fs.writeFile(cidrFile, `${original}${newcomer}/32 OK\n`);
    await reloadUntil('recipient-accepted');

    expect((await relayTester(['run', planFile, '--secrets', secrets, '--out', after])).status).toBe(1);
    const compared = await relayTester(['compare', before, after]);
    expect(compared.status).toBe(1);
    const lines = compared.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^REGRESSED\s+127\.0\.4\.4 via SMTP Relay Virtual Server → external: should not relay$/);
    expect(lines[1]).toMatch(/pass \(recipient-rejected\) -> fail \(recipient-accepted\)/);
    expect(compared.stdout).toMatch(/OPEN RELAY/);
    const json = JSON.parse((await relayTester(['compare', before, after, '--json'])).stdout);
    expect(json.changes.map((change: { id: string }) => change.id)).toEqual([
      'smtp-relay-virtual-server/from-127.0.4.4/to-external',
    ]);
  });
});
