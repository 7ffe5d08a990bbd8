// `relay-tester run --case ID` and `--failed-from RUN.json` against the built-in lab (its open-relay preset fails
// three of the demo plan's cases): only the chosen cases run, the run file and the headline say it was a partial
// run, a partial pass exits 6 (never 0), and comparing it with the full run calls nothing "removed".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from '../../main/lab/demoPlan.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset } from '../../main/lab/presets.js';
import type { RunRecord } from '../../shared/run.js';
import { relayTester, temporaryFolder, writeSecrets } from '../support/cli.js';

const RELAY = 'smtp-relay-virtual-server';
// In the plan's order, which a partial run keeps.
const OPEN_RELAY_FAILURES = [
  `${RELAY}/from-127.0.0.5/to-external`,
  `${RELAY}/from-127.0.2.5/to-external`,
  `${RELAY}/as-mallory/to-external`,
];

let lab: RunningLab;
let folder: string;
let planFile: string;
let secrets: string;
let full: RunRecord;
const fullFile = () => path.join(folder, 'full.json');

async function readRun(file: string): Promise<RunRecord> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as RunRecord;
}

beforeAll(async () => {
  lab = await startLab(labPreset('open-relay', { portBase: 0, aliases: true }));
  folder = await temporaryFolder();
  planFile = path.join(folder, 'demo.json');
  await fs.writeFile(planFile, JSON.stringify(pointPlanAtLab(await loadDemoPlan(), lab)));
  secrets = await writeSecrets(folder, labPasswords(lab.config));
  const result = await relayTester(['run', planFile, '--secrets', secrets, '--out', fullFile()]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(1);
  full = await readRun(fullFile());
}, 60_000);
afterAll(async () => {
  await lab?.stop();
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

describe('running some of a plan cases from the command line', () => {
  it('--case runs that case only; its pass reads "Partial run, 1 of N cases" and exits 6', async () => {
    const passing = full.cases.find((result) => result.verdict === 'pass')!.case.id;
    const out = path.join(folder, 'one.json');
    const result = await relayTester(['run', planFile, '--secrets', secrets, '--case', passing, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`1 of ${full.cases.length} (a partial run) cases`);
    expect(result.stdout).toContain(
      `Partial run, 1 of ${full.cases.length} cases: 1 of 1 case decided: no open relay among those`,
    );
    expect(result.status).toBe(6);
    const run = await readRun(out);
    expect(run.cases.map((one) => one.case.id)).toEqual([passing]);
    expect(run.selection).toEqual({ caseIds: [passing], of: full.cases.length });

    const compared = await relayTester(['compare', fullFile(), out]);
    expect(compared.stdout).not.toMatch(/REMOVED|REGRESSED/);
    expect(compared.stdout).toContain(`${full.cases.length - 1} cases were not run in one of these runs`);
    expect(compared.status).toBe(0);
  });

  it('--failed-from runs again exactly the cases that failed, from the run file own plan', async () => {
    expect(full.cases.filter((result) => result.verdict === 'fail').map((result) => result.case.id)).toEqual(
      OPEN_RELAY_FAILURES,
    );
    const out = path.join(folder, 'again.json');
    const result = await relayTester(['run', '--failed-from', fullFile(), '--secrets', secrets, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const run = await readRun(out);
    expect(run.cases.map((one) => one.case.id)).toEqual(OPEN_RELAY_FAILURES);
    expect(run.cases.every((one) => one.verdict === 'fail')).toBe(true);
    expect(result.stdout).toContain(`Partial run, 3 of ${full.cases.length} cases: 3 of 3 cases decided: OPEN RELAY`);
  });

  it('an id that names no case, or a run with nothing to re-run, is refused in plain words before anything runs', async () => {
    const unknown = await relayTester(['run', planFile, '--secrets', secrets, '--case', 'no-such/case']);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('cannot run those cases: no case of this plan has the id "no-such/case"');
    expect(unknown.stdout).not.toContain('Running');

    const clean = path.join(folder, 'clean.json');
    await fs.writeFile(
      clean,
      JSON.stringify({ ...full, cases: full.cases.filter((result) => result.verdict === 'pass') }),
    );
    const nothing = await relayTester(['run', planFile, '--secrets', secrets, '--failed-from', clean]);
    expect(nothing.status).toBe(64);
    expect(nothing.stderr).toContain(`nothing to run again: no case of ${clean} failed, errored or was inconclusive`);
  });
});
