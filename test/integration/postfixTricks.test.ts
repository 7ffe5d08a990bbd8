// The address-trick family against the real Postfix test bed (issue 15). Postfix refuses sender-specified routing
// from clients that may not relay (allow_untrusted_routing = no, reject_unauth_destination), so every variant is
// refused and judged pass: from the neutral source and as mallory, who has a login but may not relay. The test bed
// discards whatever it accepts; nothing leaves the machine.
import { beforeAll, expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { readPlanFile } from '../../main/store/planFile.js';
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import type { Plan } from '../../shared/plan.js';
import { assertTestbedRunning, PASSWORDS, TESTBED_PLAN } from '../support/testbed.js';

beforeAll(assertTestbedRunning);

it('Postfix refuses every address trick, from a neutral source and as an account that may not relay', async () => {
  const check = await readPlanFile(TESTBED_PLAN);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  const plan: Plan = {
    ...check.plan,
    sources: ['127.0.0.5'],
    servers: check.plan.servers
      .filter((server) => server.name === 'SMTP Relay Virtual Server')
      .map((server) => ({ ...server, tricks: true, tricksAccount: 'mallory' })),
    cases: [],
  };
  const run = await runPlan(plan, { passwords: PASSWORDS });
  const tricks = run.cases.filter((result) => result.case.kind === 'trick');
  expect(tricks).toHaveLength(52);
  for (const result of tricks) {
    expect(result.verdict, `${result.case.id}: ${result.reason}`).toBe('pass');
    expect(['recipient-rejected', 'sender-rejected'], result.case.id).toContain(result.outcome?.outcome);
    expect(result.outcome?.code, result.case.id).toBeGreaterThanOrEqual(500);
  }
  // The address went out exactly as the variant names it.
  const percent = tricks.find((result) => result.case.id === 'smtp-relay-virtual-server/trick/percent-hack')!;
  expect(percent.transcript).toContainEqual(
    expect.objectContaining({ type: 'client', text: 'RCPT TO:<relay-test%external.example@corp.test>' }),
  );
  const asMallory = tricks.find((result) => result.case.id === 'smtp-relay-virtual-server/trick-as-mallory/bang-path')!;
  expect(asMallory.transcript.some((event) => event.type === 'client' && event.text.startsWith('AUTH '))).toBe(true);
  expect(coverage(run).needsReview).toBe(0);
  expect(headline(run)).toBe(`${run.cases.length} of ${run.cases.length} cases decided: no open relay found`);
  expect(runExitStatus(run)).toBe(0);
});
