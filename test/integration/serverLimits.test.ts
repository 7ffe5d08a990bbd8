// Issue 9 item 4 against the real Postfix test bed's limited listener (127.0.0.3:2525: 3 connections per client,
// a slow greeting and RCPT, Postfix's error tarpit, postgrey on grey.example): a run at concurrency 32 ends with
// every case decided and right, the server's 421s retried and visible, none judged; greylisting is inconclusive
// without --retry-greylist and passes with it; a slow server that answers ends with a verdict, not a timeout.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';
import type { TranscriptEvent } from '../../shared/session.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import {
  assertTestbedRunning,
  GREY_DELAY_SECONDS,
  GREY_DOMAIN,
  LIMITED_CONNECTIONS,
  LIMITED_SERVER,
  PASSWORDS,
  TESTBED_PLAN,
} from '../support/testbed.js';

let folder: string;

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

/** The committed test bed plan, aimed at the limited server only (same policy as the relay server). */
async function limitedPlan(change: (plan: Record<string, any>) => void = () => {}): Promise<Plan> {
  const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  const relay = plan.servers.find((server: { host: string }) => server.host === '127.0.0.2');
  plan.name = 'Limited server';
  plan.servers = [
    { ...relay, name: 'Limited SMTP Relay Virtual Server', host: LIMITED_SERVER.host, banner: 'limited.corp.test' },
  ];
  change(plan);
  const check = checkPlan(plan);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

function notes(result: CaseResult): string[] {
  return result.transcript.flatMap((event) => (event.type === 'note' ? [event.text] : []));
}

function serverLines(events: TranscriptEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'server' ? [event.text] : []));
}

describe('a server that limits connections, tarpits and greylists', () => {
  it(`decides every case right at concurrency 32 against ${LIMITED_CONNECTIONS} connections per client, retrying its 421s visibly`, async () => {
    const plan = await limitedPlan();
    const run = await runPlan(plan, { passwords: PASSWORDS, concurrency: 32 });

    expect(run.cases.length).toBeGreaterThan(LIMITED_CONNECTIONS * 4);
    const wrong = run.cases
      .filter((result) => result.verdict !== 'pass')
      .map((result) => `${result.case.id}: ${result.verdict}: ${result.reason}`);
    expect(wrong).toEqual([]);

    // No case was judged on the server's refusal for load: the deciding reply is never a 421 or a 4xx greeting.
    for (const result of run.cases) {
      expect(result.outcome?.code, result.case.id).not.toBe(421);
      expect(result.reason).not.toMatch(/too many connections/i);
    }

    // The server did push back, and every retry left its trace: the refused attempt's 421 and the note, then the
    // attempt that was judged.
    const retried = run.cases.filter((result) =>
      notes(result).some((note) => /^attempt \d+: the server refused the connection for its load/.test(note)),
    );
    expect(retried.length).toBeGreaterThan(0);
    for (const result of retried) {
      const lines = serverLines(result.transcript);
      expect(
        lines.some((line) => /^421 4\.7\.0 limited\.corp\.test Error: too many connections from/.test(line)),
        result.case.id,
      ).toBe(true);
      expect(lines.at(-1)).not.toMatch(/^421/);
      const times = result.transcript.map((event) => event.t);
      expect(times).toEqual([...times].sort((a, b) => a - b)); // one timeline across attempts
    }
    expect(retried.some((result) => notes(result).some((note) => /at most \d+ session\(s\) at once/.test(note)))).toBe(
      true,
    );
  }, 240_000);

  it('ends a tarpitted, slow session with a verdict: each stage has its own deadline, not the session', async () => {
    // Greeting and RCPT each take 1 s, and the tarpit delays what follows the refusal: the session outlasts the
    // 1.8 s deadline that every single stage keeps.
    const plan = await limitedPlan((draft) => {
      draft.sources = ['127.0.0.5'];
      draft.accounts = [];
      draft.servers[0].relay.users = [];
      draft.settings = { timeoutSeconds: 1.8 };
    });
    const run = await runPlan(plan, { passwords: new Map() });
    const denied = run.cases.find((result) => result.case.expect === 'deny' && result.case.recipient === 'external')!;
    expect(denied.verdict).toBe('pass');
    expect(denied.reason).toMatch(/Relay access denied/);
    expect(denied.durationMs).toBeGreaterThan(1_800);
    const rcpt = denied.transcript.find((event) => event.type === 'step' && event.stage === 'rcpt');
    expect(rcpt?.type === 'step' && rcpt.ms).toBeGreaterThan(900);
  }, 60_000);

  async function greylistRun(
    extraArgs: string[],
  ): Promise<{ status: number | null; run: RunRecord; result: CaseResult }> {
    // A fresh recipient domain each time: postgrey has never seen the triplet, so the first RCPT is always deferred.
    const domain = `run-${randomUUID().slice(0, 8)}.${GREY_DOMAIN}`;
    const plan = await limitedPlan((draft) => {
      draft.sources = ['127.0.0.10', '127.0.0.5']; // relay-authorised, and neutral for the banner check
      draft.accounts = [];
      draft.servers[0].relay.users = [];
      draft.domains = { ...draft.domains, external: domain };
    });
    const planFile = path.join(folder, `grey-${domain}.json`);
    await fs.writeFile(planFile, JSON.stringify(plan));
    const out = path.join(folder, `grey-${domain}-run.json`);
    const cli = await relayTester(['run', planFile, '--out', out, ...extraArgs]);
    expect(cli.stderr).toBe('');
    const run = JSON.parse(await fs.readFile(out, 'utf8')) as RunRecord;
    const result = run.cases.find(
      (candidate) => candidate.case.expect === 'relay' && candidate.case.recipient === 'external',
    )!;
    expect(result.case.to).toMatch(new RegExp(`@${domain.replace(/\./g, '\\.')}$`));
    return { status: cli.status, run, result };
  }

  it('leaves a greylisted case inconclusive without --retry-greylist, and says how to retry', async () => {
    const { status, result } = await greylistRun([]);
    expect(result.verdict).toBe('inconclusive');
    expect(result.outcome?.code).toBe(450);
    expect(result.reason).toMatch(
      /greylisting is likely: retry after the server's delay with --retry-greylist SECONDS/,
    );
    expect(status).toBe(2);
  }, 60_000);

  it('passes a greylisted case with --retry-greylist, keeping the deferred attempt in the transcript', async () => {
    const { status, run, result } = await greylistRun(['--retry-greylist', String(GREY_DELAY_SECONDS + 1)]);
    expect(result.verdict).toBe('pass');
    const lines = serverLines(result.transcript);
    expect(lines.some((line) => /^450 4\.2\.0 .*Greylisted/.test(line))).toBe(true);
    expect(lines.some((line) => /^250 2\.1\.5 Ok/.test(line))).toBe(true);
    expect(notes(result)).toContainEqual(
      expect.stringMatching(
        new RegExp(`likely greylisting; retrying in ${GREY_DELAY_SECONDS + 1} s as asked \\(--retry-greylist\\)`),
      ),
    );
    expect(result.durationMs).toBeGreaterThan(GREY_DELAY_SECONDS * 1000);
    expect(run.cases.every((candidate) => candidate.verdict === 'pass')).toBe(true);
    expect(status).toBe(0);
  }, 60_000);

  it('refuses a --retry-greylist that is not a whole number of seconds', async () => {
    const result = await relayTester(['run', TESTBED_PLAN, '--retry-greylist', '2.5']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--retry-greylist must be a whole number of seconds from 1 to 3600/);
  });
});
