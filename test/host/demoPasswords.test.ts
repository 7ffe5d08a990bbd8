// The app's first start: the demo plan against the built-in lab runs with the lab's own passwords, even when
// the user has typed other passwords for accounts of the same names (e.g. for a real server). A password the user
// typed for a lab server itself is the one sent there: the lab's is never silently substituted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { RunProgress, RunRecord } from '../../shared/run.js';
import { temporaryFolder } from '../support/cli.js';

let lab: AppLab;
let service: Service;
const finishedRuns = new Map<string, RunRecord>();
const waiters = new Map<string, (run: RunRecord) => void>();

function runFinished(runId: string): Promise<RunRecord> {
  const run = finishedRuns.get(runId);
  return run ? Promise.resolve(run) : new Promise((resolve) => waiters.set(runId, resolve));
}

async function runPlan(plan: unknown): Promise<RunRecord> {
  const answer = await service.handlers.startRun({ plan });
  if (!('runId' in answer)) throw new Error(`expected a started run, got ${JSON.stringify(answer)}`);
  return runFinished(answer.runId);
}

beforeAll(async () => {
  lab = await startAppLab('secure');
  service = createService({
    face: 'browser',
    workspace: await temporaryFolder(),
    passwords: new MemoryPasswordStore(),
    lab: lab.link,
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const item of payload as RunProgress[]) {
        if (item.type !== 'run-finished') continue;
        finishedRuns.set(item.runId, item.run);
        waiters.get(item.runId)?.(item.run);
      }
    },
  });
});
afterAll(async () => {
  await service.close();
  await lab.stop();
});

it('runs the demo plan with the lab passwords, whatever the user typed for other servers', async () => {
  await service.handlers.setPassword({ account: 'alice', password: 'Alice-Secret-1', servers: ['127.0.0.1:2525'] });
  const info = await service.handlers.getAppInfo({});
  expect(info.startPlan.demo).toBe(true);
  expect(info.lab?.servers).toHaveLength(2);
  expect((await service.handlers.passwordStatus({ accounts: ['alice', 'bob', 'mallory'] })).known).toEqual([
    'alice',
    'bob',
    'mallory',
  ]);
  const run = await runPlan(info.startPlan.plan);
  expect(run.summary).toMatchObject({
    pass: 31,
    fail: 0,
    inconclusive: 0,
    error: 0,
    skipped: 0,
  });
});

it('sends the password the user typed for a lab server there, not the lab’s', async () => {
  const info = await service.handlers.getAppInfo({});
  const server = info.lab!.servers[0]!;
  const address = `${server.host}:${server.port}`;
  await service.handlers.setPassword({ account: 'alice', password: 'Typed-Not-The-Lab-1', servers: [address] });
  try {
    const run = await runPlan(info.startPlan.plan);
    const typed = run.cases.filter(
      (result) => result.case.account === 'alice' && !result.case.wrongPassword && result.case.server === server.name,
    );
    expect(typed.length).toBeGreaterThan(0);
    // The lab refuses the typed password: every such case is judged on a failed AUTH, none passes on the lab's.
    for (const result of typed) expect(result.outcome).toMatchObject({ stage: 'auth', code: 535 });
    const elsewhere = run.cases.filter(
      (result) => result.case.account === 'alice' && result.case.server !== server.name,
    );
    for (const result of elsewhere) expect(result.verdict).toBe('pass');
  } finally {
    await service.handlers.forgetPassword({ account: 'alice' });
  }
});

it('tells the app user where to set a missing password, not the command line’s --secrets', async () => {
  const info = await service.handlers.getAppInfo({});
  const demo = info.startPlan.plan as { servers: { port: number }[] };
  // The same plan pointed at a port where no lab listens: the lab's passwords are not for it.
  const elsewhere = { ...demo, servers: demo.servers.map((server) => ({ ...server, port: 1 })) };
  const run = await runPlan(elsewhere);
  const withoutPassword = run.cases.filter((result) => result.skip === 'no-password');
  expect(withoutPassword.length).toBeGreaterThan(0);
  for (const result of withoutPassword) {
    expect(result.reason).toBe(
      `no password for ${result.case.account}: set the password in Plan → Passwords; the lab’s password is only for the lab’s servers`,
    );
  }
  expect(JSON.stringify(run.cases.map((result) => result.reason))).not.toContain('--secrets');
});
