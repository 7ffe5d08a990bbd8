// The demo plan against the lab: every case passes against `secure`, each misconfigured preset fails exactly the
// cases it breaks, and the same plan passes against the Postfix test bed, so the lab and a real MTA agree.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from '../../main/lab/demoPlan.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset, PRESET_NAMES, type PresetName } from '../../main/lab/presets.js';
import { runPlan } from '../../main/runner.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import type { RunRecord } from '../../shared/run.js';
import { assertTestbedRunning, PASSWORDS, ROOT, TESTBED_PLAN } from '../support/testbed.js';

const RELAY = 'smtp-relay-virtual-server';

/** What each preset breaks, case by case: the demo plan must fail these and nothing else. */
const EXPECTED_FAILURES: Record<PresetName, string[]> = {
  secure: [],
  // "All except the list below" with an empty list: unlisted computers relay, and so does mallory.
  'open-relay': [
    `${RELAY}/as-mallory/to-external`,
    `${RELAY}/from-127.0.0.5/to-external`,
    `${RELAY}/from-127.0.2.5/to-external`,
  ],
  // Exchange 2000's switch: any account that authenticates relays, mallory included.
  'any-authenticated': [`${RELAY}/as-mallory/to-external`],
  // 127.0.9.0/24 is greeted instead of refused, whatever the recipient.
  'no-connection-filter': [`${RELAY}/from-127.0.9.0/24/to-external`, `${RELAY}/from-127.0.9.0/24/to-local`],
  // 127.0.0.0/16 covers 127.0.0.5 and 127.0.2.5; mallory's case connects from 127.0.0.5, so it relays as well.
  'wide-subnet': [
    `${RELAY}/as-mallory/to-external`,
    `${RELAY}/from-127.0.0.5/to-external`,
    `${RELAY}/from-127.0.2.5/to-external`,
  ],
  // Address tricks are opt-in ("tricks": true); the demo plan does not ask for them, so these presets change nothing
  // it tests (test/engine/addressTricksLab.test.ts runs the family against them).
  'trick-relay': [],
  'trick-local': [],
};

const running = new Set<RunningLab>();
afterAll(() => Promise.all([...running].map((lab) => lab.stop())));

async function runDemoAgainst(preset: PresetName): Promise<RunRecord> {
  const lab = await startLab(labPreset(preset, { portBase: 0, aliases: true }));
  running.add(lab);
  try {
    const plan = pointPlanAtLab(await loadDemoPlan(), lab);
    return await runPlan(plan, { passwords: labPasswords(lab.config) });
  } finally {
    await lab.stop();
    running.delete(lab);
  }
}

function idsWith(run: RunRecord, verdict: string): string[] {
  return run.cases
    .filter((result) => result.verdict === verdict)
    .map((result) => result.case.id)
    .sort();
}

describe('the demo plan against the lab', () => {
  it.each(PRESET_NAMES)('%s: fails exactly the cases the preset breaks, and passes every other', async (preset) => {
    const run = await runDemoAgainst(preset);
    expect(run.cases).toHaveLength(31);
    expect(idsWith(run, 'fail')).toEqual([...EXPECTED_FAILURES[preset]].sort());
    expect(run.summary.pass).toBe(run.cases.length - EXPECTED_FAILURES[preset].length);
    for (const result of run.cases.filter((candidate) => candidate.verdict === 'fail')) {
      expect(result.outcome?.outcome).toMatch(/^recipient-(accepted|rejected)$/);
    }
  });

  it("reports the open relay as such, quoting the lab's reply", async () => {
    const run = await runDemoAgainst('open-relay');
    const result = run.cases.find((candidate) => candidate.case.id === `${RELAY}/from-127.0.2.5/to-external`)!;
    expect(result.reason).toBe(
      'OPEN RELAY: the server accepted the relay recipient ("250 Accepted") although the policy denies it',
    );
  });

  it('pins the lab certificate in the re-pointed plan, which stays a valid plan', async () => {
    const lab = await startLab(labPreset('secure', { portBase: 0, aliases: true }));
    running.add(lab);
    try {
      const plan = pointPlanAtLab(await loadDemoPlan(), lab);
      expect(checkPlan(plan)).toMatchObject({ ok: true });
      for (const server of plan.servers) {
        const labServer = lab.servers.find((candidate) => candidate.name === server.name)!;
        expect(server).toMatchObject({
          host: labServer.host,
          port: labServer.port,
          certificateSha256: lab.certificate.sha256,
        });
        expect(server.allowInvalidCertificate).toBeUndefined();
      }
    } finally {
      await lab.stop();
      running.delete(lab);
    }
  });
});

describe('the lab and a real MTA agree', () => {
  it('plans/demo.json differs from the Postfix test bed plan only in its name, comments and ports', async () => {
    const read = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8')) as Plan;
    const demo = await read(path.join(ROOT, 'plans/demo.json'));
    const testbed = await read(TESTBED_PLAN);
    const policy = (plan: Plan) => ({
      ...plan,
      $comment: undefined,
      name: undefined,
      servers: plan.servers.map((server) => ({ ...server, $comment: undefined, port: undefined })),
    });
    expect(policy(demo)).toEqual(policy(testbed));
    expect(demo.servers.map((server) => server.port)).toEqual([2526, 2526]);
    expect(testbed.servers.map((server) => server.port)).toEqual([2525, 2525]);
  });

  it('the demo plan pointed at the Postfix test bed passes every case', async () => {
    assertTestbedRunning();
    const demo = await loadDemoPlan();
    const plan: Plan = { ...demo, servers: demo.servers.map((server) => ({ ...server, port: 2525 })) };
    const run = await runPlan(plan, { passwords: PASSWORDS });
    expect(run.cases).toHaveLength(31);
    expect(
      run.cases.filter((result) => result.verdict !== 'pass').map((result) => `${result.case.id}: ${result.reason}`),
    ).toEqual([]);
  });
});
