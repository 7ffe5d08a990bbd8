// Passwords are bound to servers, through the service's real contract: a plan from someone else points alice at
// an attacker's listener (a real socket that records credentials) beside the Postfix test bed alice's password
// was typed for. Without the user's consent the listener gets nothing; with it, the password is sent; forged,
// stale or widened answers are refused; the lab's passwords go only to the lab. Every command goes through
// dispatch, as the faces send it: validated against shared/ipc.ts first.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { dispatch } from '../../main/api/dispatch.js';
import { createService, type Service } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { CommandName, CommandRequest, CommandResponse, CommandResponses } from '../../shared/ipc.js';
import { secretForms } from '../../shared/redact.js';
import type { CaseResult, RunProgress, RunRecord } from '../../shared/run.js';
import { temporaryFolder } from '../support/cli.js';
import { startCredentialTrap, strangersPlan, type CredentialTrap } from '../support/credentialTrap.js';
import { assertTestbedRunning, PASSWORDS, RELAY_SERVER } from '../support/testbed.js';

const ALICE_PASSWORD = PASSWORDS.get('alice')!;
const TESTBED = `${RELAY_SERVER.host}:${RELAY_SERVER.port}`;

let trap: CredentialTrap;
let service: Service;
let finished: Map<string, RunRecord>;
let waiters: Map<string, (run: RunRecord) => void>;

function makeService(lab?: AppLab): Service {
  return createService({
    face: 'browser',
    workspace: workspaceFolder,
    passwords: new MemoryPasswordStore(),
    ...(lab ? { lab: lab.link } : {}),
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const progress of payload as RunProgress[]) {
        if (progress.type !== 'run-finished') continue;
        finished.set(progress.runId, progress.run);
        waiters.get(progress.runId)?.(progress.run);
      }
    },
  });
}

/** A command as a face sends it: validated against the contract's schemas, then handled. */
async function call<K extends CommandName>(command: K, payload: CommandRequest<K>): Promise<CommandResponse<K>> {
  const answer = await dispatch(service.handlers, command, payload);
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.result as CommandResponse<K>;
}

function runFinished(runId: string): Promise<RunRecord> {
  const run = finished.get(runId);
  return run ? Promise.resolve(run) : new Promise((resolve) => waiters.set(runId, resolve));
}

type StartAnswer = CommandResponses['startRun'];

function question(answer: StartAnswer) {
  if (!('consentNeeded' in answer)) throw new Error(`expected a consent question, got ${JSON.stringify(answer)}`);
  return answer.consentNeeded;
}

function runIdOf(answer: StartAnswer): string {
  if (!('runId' in answer)) throw new Error(`expected a started run, got ${JSON.stringify(answer)}`);
  return answer.runId;
}

/** Alice's cases that authenticate with her real password, by server. */
function aliceCases(run: RunRecord, server: string): CaseResult[] {
  return run.cases.filter(
    (result) => result.case.account === 'alice' && !result.case.wrongPassword && result.case.server === server,
  );
}

function expectTrapGotNoPassword(): void {
  expect(trap.credentials.filter((credential) => credential.password === ALICE_PASSWORD)).toEqual([]);
  for (const form of secretForms('alice', ALICE_PASSWORD)) expect(trap.received()).not.toContain(form);
}

let workspaceFolder: string;

beforeAll(async () => {
  assertTestbedRunning();
  workspaceFolder = await temporaryFolder();
});

beforeEach(async () => {
  trap = await startCredentialTrap();
  finished = new Map();
  waiters = new Map();
  service = makeService();
  // Alice's password, typed for the test bed's relay server only.
  await call('setPassword', { account: 'alice', password: ALICE_PASSWORD, servers: [TESTBED] });
});

afterEach(async () => {
  await service.close();
  await trap.close();
});

describe('a kept password and a plan that points its account at a new server', () => {
  it('starts nothing and asks first: the question names the account and the new server only', async () => {
    const plan = strangersPlan(trap);
    const asked = question(await call('startRun', { plan }));
    expect(asked.uses).toEqual([{ account: 'alice', server: `127.0.0.1:${trap.port}` }]);
    expect(asked.ticket).toMatch(/^[0-9a-f-]{36}$/);
    expect(trap.connections).toBe(0);
  });

  it('takes a password only with the servers it may go to, each a host:port', async () => {
    await expect(call('setPassword', { account: 'bob', password: 'Bob-Secret-2' } as never)).rejects.toThrow(
      /^setPassword: servers: /,
    );
    await expect(call('setPassword', { account: 'bob', password: 'Bob-Secret-2', servers: [] })).rejects.toThrow(
      'setPassword: servers: name at least one server (host:port) the password may be sent to',
    );
    await expect(call('bindPassword', { account: 'alice', servers: ['mail.corp.test'] })).rejects.toThrow(
      'bindPassword: servers.0: "mail.corp.test" is not host:port (e.g. mail.example.com:587)',
    );
    await call('setPassword', {
      account: 'bob',
      password: 'Bob-Secret-2',
      servers: ['Mail.Corp.Test.:587', '[::1]:25'],
    });
    expect((await call('passwordStatus', { accounts: ['bob'] })).bindings).toEqual([
      { account: 'bob', servers: ['mail.corp.test:587', '[::1]:25'] },
    ]);
  });

  it('never answers with a password: only account names and servers cross the contract', async () => {
    const answers = [
      await call('setPassword', { account: 'alice', password: ALICE_PASSWORD, servers: [TESTBED] }),
      await call('bindPassword', { account: 'alice', servers: [TESTBED] }),
      await call('passwordStatus', { accounts: ['alice'] }),
      await call('startRun', { plan: strangersPlan(trap) }),
      await call('getAppInfo', {}),
    ];
    for (const form of secretForms('alice', ALICE_PASSWORD)) expect(JSON.stringify(answers)).not.toContain(form);
  });

  it('denied: alice relays through the test bed with her password, and the listener never sees it', async () => {
    const plan = strangersPlan(trap);
    const asked = question(await call('startRun', { plan }));
    const answer = await call('startRun', {
      plan,
      consent: { ticket: asked.ticket, decisions: [{ ...asked.uses[0]!, decision: 'deny' }] },
    });
    const run = await runFinished(runIdOf(answer));

    const onTestbed = aliceCases(run, 'Relay');
    expect(onTestbed.length).toBeGreaterThan(0);
    expect(onTestbed.map((result) => result.verdict)).toEqual(onTestbed.map(() => 'pass'));
    const onTrap = aliceCases(run, 'Collector');
    expect(onTrap.length).toBeGreaterThan(0);
    for (const result of onTrap) {
      expect(result.verdict).toBe('skipped');
      expect(result.reason).toBe(
        `alice's password was not sent to 127.0.0.1:${trap.port}: you denied it before the run`,
      );
    }
    expectTrapGotNoPassword();
    // The binding did not grow: the next run asks again.
    expect((await call('passwordStatus', { accounts: ['alice'] })).bindings).toEqual([
      { account: 'alice', servers: [TESTBED] },
    ]);
    expect('consentNeeded' in (await call('startRun', { plan }))).toBe(true);
  }, 60_000);

  it('refuses a forged ticket, a reused one, an answer for another plan and an answer that allows more than was asked', async () => {
    const plan = strangersPlan(trap);
    const use = { account: 'alice', server: `127.0.0.1:${trap.port}` };
    const refused = (
      consent: {
        ticket: string;
        decisions: { account: string; server: string; decision: 'once' | 'always' | 'deny' }[];
      },
      other = plan,
    ) =>
      expect(call('startRun', { plan: other, consent })).rejects.toSatisfy(
        (error: Error & { code?: string }) =>
          error.code === 'invalid-request' && /does not match what this run would send/.test(error.message),
      );

    await refused({ ticket: '00000000-0000-4000-8000-000000000000', decisions: [{ ...use, decision: 'always' }] });

    const first = question(await call('startRun', { plan }));
    const changed = { ...plan, name: 'The same plan, changed after the question' };
    await refused({ ticket: first.ticket, decisions: [{ ...use, decision: 'once' }] }, changed);
    await refused({ ticket: first.ticket, decisions: [{ ...use, decision: 'once' }] }); // used up by the refusal above

    const second = question(await call('startRun', { plan }));
    await refused({
      ticket: second.ticket,
      decisions: [
        { ...use, decision: 'once' },
        { account: 'alice', server: '10.0.0.5:25', decision: 'always' },
      ],
    });
    const third = question(await call('startRun', { plan }));
    await refused({ ticket: third.ticket, decisions: [] });

    expect(trap.connections).toBe(0);
    expect((await call('passwordStatus', { accounts: ['alice'] })).bindings).toEqual([
      { account: 'alice', servers: [TESTBED] },
    ]);
  });

  it('allowed for this run: the listener gets the password this once, and the next run asks again', async () => {
    const plan = strangersPlan(trap);
    const asked = question(await call('startRun', { plan }));
    const run = await runFinished(
      runIdOf(
        await call('startRun', {
          plan,
          consent: { ticket: asked.ticket, decisions: [{ ...asked.uses[0]!, decision: 'once' }] },
        }),
      ),
    );
    expect(aliceCases(run, 'Collector').every((result) => result.verdict === 'pass')).toBe(true);
    expect(trap.credentials).toContainEqual({ user: 'alice', password: ALICE_PASSWORD });
    expect((await call('passwordStatus', { accounts: ['alice'] })).bindings).toEqual([
      { account: 'alice', servers: [TESTBED] },
    ]);
    expect('consentNeeded' in (await call('startRun', { plan }))).toBe(true);
  }, 60_000);

  it('allowed always: the server joins the password’s servers and later runs do not ask', async () => {
    const plan = strangersPlan(trap);
    const asked = question(await call('startRun', { plan }));
    await runFinished(
      runIdOf(
        await call('startRun', {
          plan,
          consent: { ticket: asked.ticket, decisions: [{ ...asked.uses[0]!, decision: 'always' }] },
        }),
      ),
    );
    expect(trap.credentials).toContainEqual({ user: 'alice', password: ALICE_PASSWORD });
    expect((await call('passwordStatus', { accounts: ['alice'] })).bindings).toEqual([
      { account: 'alice', servers: [TESTBED, `127.0.0.1:${trap.port}`] },
    ]);
    await runFinished(runIdOf(await call('startRun', { plan })));
  }, 60_000);

  it('rebinding the password in Passwords allows the server without a question; forgetting it sends nothing', async () => {
    const plan = strangersPlan(trap);
    expect(await call('bindPassword', { account: 'alice', servers: [TESTBED, `127.0.0.1:${trap.port}`] })).toEqual({
      bound: true,
    });
    await runFinished(runIdOf(await call('startRun', { plan })));
    expect(trap.credentials).toContainEqual({ user: 'alice', password: ALICE_PASSWORD });

    trap.clear();
    await call('forgetPassword', { account: 'alice' });
    const run = await runFinished(runIdOf(await call('startRun', { plan })));
    expect(aliceCases(run, 'Collector').map((result) => result.verdict)).toEqual(
      aliceCases(run, 'Collector').map(() => 'skipped'),
    );
    expectTrapGotNoPassword();
  }, 60_000);
});

describe('the lab’s passwords', () => {
  let lab: AppLab;
  beforeAll(async () => {
    lab = await startAppLab('secure');
  });
  afterAll(async () => {
    await lab.stop();
  });

  it('go only to the lab’s own servers: a plan pointing alice elsewhere gets no lab password', async () => {
    await service.close();
    service = makeService(lab);
    const status = await call('passwordStatus', { accounts: ['alice', 'bob'] });
    expect(status.lab).toEqual({
      accounts: ['alice', 'bob'],
      servers: lab.link.info.servers.map((server) => `${server.host}:${server.port}`),
    });
    expect(status.bindings).toEqual([]);

    const plan = { ...strangersPlan(trap), servers: [strangersPlan(trap).servers[1]] };
    const run = await runFinished(runIdOf(await call('startRun', { plan })));
    const onTrap = aliceCases(run, 'Collector');
    expect(onTrap.length).toBeGreaterThan(0);
    for (const result of onTrap) {
      expect(result).toMatchObject({
        verdict: 'skipped',
        reason:
          'no password for alice: set the password in Plan → Passwords; the lab’s password is only for the lab’s servers',
      });
    }
    const labPassword = lab.link.passwords.get('alice')!;
    expect(trap.credentials.filter((credential) => credential.password === labPassword)).toEqual([]);
    for (const form of secretForms('alice', labPassword)) expect(trap.received()).not.toContain(form);
  }, 60_000);
});
