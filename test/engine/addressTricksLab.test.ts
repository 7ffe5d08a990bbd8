// The address-trick family against the lab's presets (issue 15): the secure lab refuses every trick (pass), the
// trick-local lab takes percent-hack and bang addresses as local mailboxes (needs review, never pass), and the
// trick-relay lab forwards them (fail, with the lab's own record of where the mail would have gone). Each variant
// runs in its own session; nothing leaves the machine (the lab keeps messages in memory).
import { afterEach, describe, expect, it } from 'vitest';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from '../../main/lab/demoPlan.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset, type PresetName } from '../../main/lab/presets.js';
import { runPlan } from '../../main/runner.js';
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import type { Plan } from '../../shared/plan.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';

let lab: RunningLab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const RELAY = 'SMTP Relay Virtual Server';

async function runTricks(
  preset: PresetName,
  options: { data?: boolean; canary?: string; account?: string } = {},
): Promise<RunRecord> {
  lab = await startLab(labPreset(preset, { portBase: 0, aliases: true }));
  const demo = pointPlanAtLab(await loadDemoPlan(), lab);
  const plan: Plan = {
    ...demo,
    // Only the trick family of the relay server, from the neutral source 127.0.0.5.
    sources: ['127.0.0.5'],
    accounts: ['alice', 'bob', 'mallory'],
    servers: demo.servers
      .filter((server) => server.name === RELAY)
      .map((server) => ({
        ...server,
        tls: 'none',
        tricks: true,
        ...(options.account ? { tricksAccount: options.account } : {}),
      })),
    ...(options.canary ? { canary: options.canary } : {}),
    settings: { concurrency: 4, timeoutSeconds: 10, data: options.data ?? false },
  };
  return runPlan(plan, { passwords: labPasswords(lab.config) });
}

function trick(run: RunRecord, variant: string, account?: string): CaseResult {
  const id = `smtp-relay-virtual-server/trick${account ? `-as-${account}` : ''}/${variant}`;
  const found = run.cases.find((result) => result.case.id === id);
  if (!found) throw new Error(`no case ${id} in ${run.cases.map((result) => result.case.id).join(', ')}`);
  return found;
}

describe('address tricks against the lab', () => {
  it('secure: every variant is refused at MAIL or RCPT and judged pass, each in its own session', async () => {
    const run = await runTricks('secure');
    const tricks = run.cases.filter((result) => result.case.kind === 'trick');
    expect(tricks).toHaveLength(26);
    for (const result of tricks) {
      expect(result.verdict, `${result.case.id}: ${result.reason}`).toBe('pass');
      expect(['recipient-rejected', 'sender-rejected']).toContain(result.outcome?.outcome);
      // Its own session: one greeting per case.
      expect(result.transcript.filter((event) => event.type === 'server' && event.text.startsWith('220 ')).length).toBe(
        1,
      );
    }
    // The engine sent each address verbatim: the transcript shows exactly what the variant names.
    expect(trick(run, 'source-route').transcript).toContainEqual(
      expect.objectContaining({ type: 'client', text: 'RCPT TO:<@corp.test:relay-test@external.example>' }),
    );
    expect(trick(run, 'quoted-local-part').transcript).toContainEqual(
      expect.objectContaining({ type: 'client', text: 'RCPT TO:<"relay-test@external.example"@corp.test>' }),
    );
    expect(trick(run, 'nmap-14').transcript).toContainEqual(
      expect.objectContaining({ type: 'client', text: 'RCPT TO:<external.example!relay-test>' }),
    );
    expect(trick(run, 'nmap-01').transcript).toContainEqual(
      expect.objectContaining({ type: 'client', text: 'MAIL FROM:<>' }),
    );
    expect(trick(run, 'percent-hack').reason).toMatch(/^not relayed: .*5\.1\.3/);
    expect(runExitStatus(run)).toBe(0);
    expect(headline(run)).toBe(`${run.cases.length} of ${run.cases.length} cases decided: no open relay found`);
  });

  it('trick-local: percent-hack and bang addresses are accepted as local mailboxes and need review, never pass', async () => {
    const run = await runTricks('trick-local');
    const percent = trick(run, 'percent-hack');
    expect(percent.verdict).toBe('needs-review');
    expect(percent.reason).toContain('RCPT TO:<relay-test%external.example@corp.test>');
    expect(percent.reason).toContain('some servers treat such an address as a local mailbox');
    expect(percent.reason).toContain('canary');
    expect(trick(run, 'bang-path').verdict).toBe('needs-review');
    // smtp-server refuses a quoted local part holding an @ as bad syntax (501) before the lab's policy sees it.
    expect(trick(run, 'quoted-local-part').outcome?.code).toBe(501);
    // The lab's own record: accepted as a local name, never forwarded.
    expect(
      lab!.log
        .events()
        .some(
          (event) => event.kind === 'relay' && event.text.includes('would NOT forward to relay-test@external.example'),
        ),
    ).toBe(true);
    // Variants that plainly name the external domain are still refused by the relay check.
    expect(trick(run, 'mixed-case').verdict).toBe('pass');
    expect(trick(run, 'source-route').verdict).toBe('pass');
    const cover = coverage(run);
    expect(cover.failed).toBe(0);
    expect(cover.needsReview).toBeGreaterThanOrEqual(3);
    expect(headline(run)).toMatch(
      /^(\d+) of \1 cases decided: no open relay found; \d+ address tricks accepted, to review$/,
    );
    expect(runExitStatus(run)).toBe(5);
  });

  it("trick-relay: a forwarded percent hack fails with the lab's proof in the reason", async () => {
    const run = await runTricks('trick-relay', { data: true, account: 'mallory' });
    const percent = trick(run, 'percent-hack');
    expect(percent.verdict).toBe('fail');
    expect(percent.reason).toContain('OPEN RELAY through the percent hack');
    expect(percent.reason).toContain('the lab recorded that it would forward the mail to relay-test@external.example');
    expect(trick(run, 'bang-path').verdict).toBe('fail');
    expect(trick(run, 'percent-hack-double').reason).toContain('would forward the mail to relay-test@external.example');
    // The same as mallory, an account that may not relay.
    expect(trick(run, 'percent-hack', 'mallory').verdict).toBe('fail');
    expect(trick(run, 'percent-hack', 'mallory').case.account).toBe('mallory');
    expect(coverage(run).openRelays).toBeGreaterThan(0);
    expect(runExitStatus(run)).toBe(1);
    // With DATA the message reached the lab, which kept it in memory and sent nothing on.
    expect(lab!.messages.list().some((message) => message.to.includes('relay-test%external.example@corp.test'))).toBe(
      true,
    );
  });

  it('with a canary and DATA, an accepted ambiguous trick says which mailbox to check', async () => {
    const run = await runTricks('trick-local', { data: true, canary: 'canary@outside.example' });
    const percent = trick(run, 'percent-hack');
    expect(percent.case.to).toBe('canary%outside.example@corp.test');
    expect(percent.verdict).toBe('needs-review');
    expect(percent.reason).toMatch(/Message-ID <[^>]+>\): check the canary mailbox canary@outside\.example/);
  });
});
