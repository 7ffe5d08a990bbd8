// Plans written in Exchange's terms agree with the lab running the same settings: each misconfigured preset, stated
// as a plan (relay.mode "allExcept", relay.anyAuthenticated, connect.allow), passes every case against the lab
// running it, while the article's secure plan fails there; and `relay-tester lab` prints those very plan fields. Kept cheap: the relay virtual server only, few sources.
import { afterAll, describe, expect, it } from 'vitest';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from '../../main/lab/demoPlan.js';
import type { LabConfig } from '../../main/lab/labConfig.js';
import { planPolicyOf } from '../../main/lab/labPlanTerms.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset, type PresetName } from '../../main/lab/presets.js';
import { runPlan } from '../../main/runner.js';
import { checkPlan, type Plan, type PlanServer } from '../../shared/plan.js';
import type { RunRecord } from '../../shared/run.js';

const RELAY = 'smtp-relay-virtual-server';
const running = new Set<RunningLab>();
afterAll(() => Promise.all([...running].map((lab) => lab.stop())));

/** What `relay-tester lab` prints as the plan fields of the lab's relay virtual server must be the plan's own. */
function expectLabStatesPlan(config: LabConfig, plan: Plan): void {
  const { relay, connect } = plan.servers[0]!;
  expect(planPolicyOf(config.servers[1]!, config.accounts)).toEqual({ relay, connect });
}

/** The demo plan cut down to the relay virtual server and four sources, with `relay` changed. */
async function smallPlan(change: (server: PlanServer) => void = () => {}): Promise<Plan> {
  const demo = await loadDemoPlan();
  const relay = structuredClone(demo.servers.find((server) => server.name === 'SMTP Relay Virtual Server')!);
  change(relay);
  const check = checkPlan({
    ...demo,
    sources: ['127.0.0.5', '127.0.0.10', '127.0.2.5', '127.0.9.5'],
    servers: [relay],
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

async function runAgainst(config: LabConfig, plans: Plan[]): Promise<RunRecord[]> {
  const lab = await startLab(config);
  running.add(lab);
  try {
    const runs: RunRecord[] = [];
    for (const plan of plans) {
      runs.push(await runPlan(pointPlanAtLab(plan, lab), { passwords: labPasswords(lab.config) }));
    }
    return runs;
  } finally {
    await lab.stop();
    running.delete(lab);
  }
}

function notPassing(run: RunRecord): string[] {
  return run.cases
    .filter((result) => result.verdict !== 'pass')
    .map((result) => `${result.case.id}: ${result.verdict}: ${result.reason}`);
}

function failing(run: RunRecord): string[] {
  return run.cases
    .filter((result) => result.verdict === 'fail')
    .map((result) => result.case.id)
    .sort();
}

const LAYOUT = { portBase: 0, aliases: true };

describe("plans in Exchange's terms against the lab", () => {
  it.each<[PresetName, (server: PlanServer) => void, string[]]>([
    [
      'open-relay',
      (server) => (server.relay = { ...server.relay, mode: 'allExcept', hosts: [] }),
      [`${RELAY}/as-mallory/to-external`, `${RELAY}/from-127.0.0.5/to-external`, `${RELAY}/from-127.0.2.5/to-external`],
    ],
    [
      'any-authenticated',
      (server) => (server.relay = { ...server.relay, users: [], anyAuthenticated: true }),
      [`${RELAY}/as-mallory/to-external`],
    ],
  ])('%s: its plan passes every case, the secure plan fails the cases it breaks', async (preset, change, breaks) => {
    const config = labPreset(preset, LAYOUT);
    const plan = await smallPlan(change);
    expectLabStatesPlan(config, plan);
    const [own, secure] = await runAgainst(config, [plan, await smallPlan()]);
    expect(notPassing(own!)).toEqual([]);
    expect(own!.cases.length).toBeGreaterThanOrEqual(12);
    expect(failing(secure!)).toEqual([...breaks].sort());
  });

  it('connection control "Only the list below": the plan with connect.allow passes against a lab set the same way', async () => {
    const config = labPreset('secure', LAYOUT);
    config.servers[1]!.connection = { grant: 'only-list', entries: ['127.0.0.0/24'] };
    const plan = await smallPlan((server) => (server.connect = { deny: [], allow: ['127.0.0.0/24'] }));
    expectLabStatesPlan(config, plan);
    const [own, secure] = await runAgainst(config, [plan, await smallPlan()]);
    expect(notPassing(own!)).toEqual([]);
    // 127.0.2.5 is outside the allow list: the lab refuses it at connect, as the plan expects.
    expect(own!.cases.find((result) => result.case.id === `${RELAY}/from-127.0.2.5/to-local`)).toMatchObject({
      verdict: 'pass',
      case: { expect: 'reject-at-connect' },
    });
    // The secure plan expected 127.0.2.5 to be greeted and accepted for a local recipient (its relay case, expecting
    // no relay, is satisfied by the refusal).
    expect(failing(secure!)).toEqual([`${RELAY}/from-127.0.2.5/to-local`]);
  });
});
