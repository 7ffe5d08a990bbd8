// `relay-tester run` against the real Postfix test bed, as on a helpdesk PC whose address is none of the plan's
// sources: the headline says "Incomplete" in the terminal, the run file, the HTML report and JUnit, and the exit
// status is 2. Account cases still run from a source this machine can use. A run that cannot be saved exits 4.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverage, headline } from '../../shared/coverage.js';
import type { RunRecord } from '../../shared/run.js';
import { relayTester, temporaryFolder, writeSecrets } from '../support/cli.js';
import { assertTestbedRunning, PASSWORDS, TESTBED_PLAN } from '../support/testbed.js';

let folder: string;
let secrets: string;

beforeAll(async () => {
  assertTestbedRunning();
  const local = Object.values(os.networkInterfaces())
    .flat()
    .map((info) => info?.address);
  if (local.some((address) => address === '203.0.113.9' || address?.startsWith('198.51.100.'))) {
    throw new Error(
      'this machine has an address in 203.0.113.9 or 198.51.100.0/24: the test needs them not to be local',
    );
  }
  folder = await temporaryFolder();
  secrets = await writeSecrets(folder, PASSWORDS);
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

/** The test bed plan with other sources (and settings), written into the test's folder. */
async function writePlan(name: string, change: Record<string, unknown>): Promise<string> {
  const plan = { ...JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8')), ...change };
  const file = path.join(folder, `${name}.json`);
  await fs.writeFile(file, JSON.stringify(plan));
  return file;
}

async function readRun(file: string): Promise<RunRecord> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as RunRecord;
}

describe('a plan whose sources are mostly not addresses of this machine', () => {
  // 203.0.113.9 and 198.51.100.0/24 (documentation ranges, RFC 5737) are neutral on both servers but not local;
  // 127.0.0.10 is local and a relay host of the relay server (so neutral only on the default server).
  const sources = ['203.0.113.9', '198.51.100.0/24', '127.0.0.10'];

  it('reads "Incomplete" with what was not runnable, in the terminal, the run, the report and JUnit, and exits 2', async () => {
    const plan = await writePlan('remote', { name: 'remote sources', sources });
    const out = path.join(folder, 'remote-run.json');
    const junit = path.join(folder, 'remote-junit.xml');
    const result = await relayTester(['run', plan, '--secrets', secrets, '--out', out, '--junit', junit]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(2);
    const run = await readRun(out);
    const cover = coverage(run);
    expect(cover.failed).toBe(0);
    expect(cover.decided).toBeGreaterThan(0);
    expect(cover.undecided).toEqual([{ kind: 'not-runnable-here', count: cover.total - cover.decided }]);
    const line = headline(run);
    expect(line).toBe(
      `Incomplete: ${cover.decided} of ${cover.total} cases decided (${cover.total - cover.decided} not runnable from this machine): no open relay among those`,
    );
    expect(result.stdout).toContain(`\n${line}\n`);
    expect(result.stdout).not.toMatch(/every case behaved|no open relay found/);
    // Every skipped case says why, with the fix.
    for (const skipped of run.cases.filter((candidate) => candidate.verdict === 'skipped')) {
      expect(skipped.skip).toBe('not-runnable-here');
      expect(skipped.reason).toMatch(
        /^not runnable here: (203\.0\.113\.9 is not an address of this machine|no local address in 198\.51\.100\.0\/24)/,
      );
    }
    // On the default server 127.0.0.10 is neutral and local: its account cases ran from it, not from 203.0.113.9.
    const aliceDefault = run.cases.find(
      (candidate) => candidate.case.id === 'default-smtp-virtual-server/as-alice/to-external',
    );
    expect(aliceDefault).toMatchObject({ verdict: 'pass', local: '127.0.0.10' });

    const html = path.join(folder, 'remote.html');
    expect((await relayTester(['report', out, '--html', html])).status).toBe(0);
    expect(await fs.readFile(html, 'utf8')).toContain(`id="verdict">${line}</p>`);

    const suites = new XMLParser({ ignoreAttributes: false }).parse(await fs.readFile(junit, 'utf8')).testsuites
      .testsuite as {
      '@_skipped': string;
      properties: { property: { '@_name': string; '@_value': string }[] };
    }[];
    let skippedInXml = 0;
    for (const suite of suites) {
      const properties = Object.fromEntries(suite.properties.property.map((item) => [item['@_name'], item['@_value']]));
      expect(properties).toMatchObject({
        'relay-tester.headline': line,
        'relay-tester.complete': 'false',
        'relay-tester.decided': String(cover.decided),
        'relay-tester.cases': String(cover.total),
        'relay-tester.exit-status': '2',
      });
      skippedInXml += Number(suite['@_skipped']);
    }
    expect(skippedInXml).toBe(cover.total - cover.decided);
  }, 60_000);

  it('runs every account case from the accountSource the plan names, and refuses one the server relays for', async () => {
    const plan = await writePlan('account-source', { name: 'account source', sources, accountSource: '127.0.0.5' });
    const out = path.join(folder, 'account-source-run.json');
    const result = await relayTester(['run', plan, '--secrets', secrets, '--out', out]);
    expect(result.status).toBe(2); // the remote sources' cases are still not runnable here
    const run = await readRun(out);
    const accountCases = run.cases.filter((candidate) =>
      ['account', 'wrong-password', 'send-as-other', 'banner'].includes(candidate.case.kind),
    );
    expect(accountCases.length).toBeGreaterThanOrEqual(9);
    for (const result of accountCases) {
      expect(result, result.case.id).toMatchObject({ verdict: 'pass', local: '127.0.0.5' });
    }
    // Postfix decided them: alice relays through the relay server, mallory does not.
    expect(
      run.cases.find((candidate) => candidate.case.id === 'smtp-relay-virtual-server/as-alice/to-external')?.outcome
        ?.outcome,
    ).toBe('recipient-accepted');
    expect(
      run.cases.find((candidate) => candidate.case.id === 'smtp-relay-virtual-server/as-mallory/to-external')?.outcome
        ?.outcome,
    ).toBe('recipient-rejected');

    const listed = await writePlan('listed-account-source', { name: 'listed', sources, accountSource: '127.0.0.10' });
    const listedOut = path.join(folder, 'listed-run.json');
    expect((await relayTester(['run', listed, '--secrets', secrets, '--out', listedOut])).status).toBe(2);
    const relayAccountCase = (await readRun(listedOut)).cases.find(
      (candidate) => candidate.case.id === 'smtp-relay-virtual-server/as-alice/to-external',
    );
    expect(relayAccountCase).toMatchObject({ verdict: 'skipped', skip: 'not-runnable' });
    expect(relayAccountCase?.reason).toContain(
      "the plan's accountSource 127.0.0.10 is in the relay list of SMTP Relay Virtual Server",
    );
  }, 60_000);
});

describe('a run that cannot be saved', () => {
  it('is a failed run: the reason on stderr, exit 4, JUnit still written and nothing already there lost', async () => {
    // One source against the default server only: two quick cases.
    const testbed = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
    const plan = await writePlan('unsaved', {
      name: 'unsaved',
      sources: ['127.0.0.5'],
      accounts: [],
      servers: [testbed.servers[0]],
    });
    // A regular file where the plan's runs folder should be.
    const blocker = path.join(folder, 'unsaved.runs');
    await fs.writeFile(blocker, 'precious\n');
    const junit = path.join(folder, 'unsaved-junit.xml');
    const result = await relayTester(['run', plan, '--junit', junit]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(
      /^relay-tester run: could not save the run to .*unsaved\.runs\/[^/]+\.json: (EEXIST|ENOTDIR)/m,
    );
    expect(result.stderr).toContain(
      'relay-tester run: the run failed: its results were not saved (2 of 2 cases decided: no open relay found)',
    );
    expect(result.stdout).not.toContain('Run saved to');
    expect(await fs.readFile(blocker, 'utf8')).toBe('precious\n');
    expect(await fs.readFile(junit, 'utf8')).toContain(
      'relay-tester.headline" value="2 of 2 cases decided: no open relay found"',
    );
  }, 60_000);
});

describe('run files saved before the cancelled verdict existed', () => {
  it('still load, count the cases a cancel stopped as cancelled, and report "Cancelled"', async () => {
    const current = await readRun(path.join(folder, 'remote-run.json')).catch(() => undefined);
    expect(current, 'the first test of this file writes remote-run.json').toBeDefined();
    // The old shape: cancelled cases were "skipped", and the summary had no "cancelled" count.
    const [first, ...rest] = current!.cases.filter((result) => result.verdict === 'pass');
    const stopped = rest.map((result) => ({
      case: result.case,
      verdict: 'skipped',
      reason: 'the run was cancelled before this case ran',
      transcript: [],
    }));
    const old = {
      ...current!,
      cancelled: true,
      cases: [first, ...stopped],
      summary: { pass: 1, fail: 0, inconclusive: 0, error: 0, skipped: stopped.length },
    };
    const file = path.join(folder, 'old-run.json');
    await fs.writeFile(file, JSON.stringify(old));
    const html = path.join(folder, 'old.html');
    const result = await relayTester(['report', file, '--html', html]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = `Cancelled: 1 of ${stopped.length + 1} cases decided (${stopped.length} cancelled): no open relay among those`;
    expect(await fs.readFile(html, 'utf8')).toContain(`id="verdict">${expected}</p>`);
  });
});
