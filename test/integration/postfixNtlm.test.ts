// NTLM against a real Postfix with Cyrus SASL's NTLM plugin (test/postfix/testbed.sh): the relay server also
// offers NTLM, and 127.0.0.4 is an Exchange with Basic authentication turned off (NTLM only).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyOutcome } from '../../shared/outcome.js';
import type { PlanInput } from '../../shared/plan.js';
import { secretForms } from '../../shared/redact.js';
import type { RunRecord } from '../../shared/run.js';
import type { SessionResult } from '../../shared/session.js';
import { relayTester, temporaryFolder, writeSecrets } from '../support/cli.js';
import { assertTestbedRunning, PASSWORDS, probe, TESTBED_PLAN } from '../support/testbed.js';

const NTLM_ONLY = { host: '127.0.0.4', port: 2525 };
const RELAY = { host: '127.0.0.2', port: 2525 };

let folder: string;

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

/** Every text a session leaves behind: transcript events and the recorded exchanges. */
function recorded(session: SessionResult): string {
  return JSON.stringify({ events: session.events, exchanges: session.exchanges, failure: session.failure });
}

/** The base64 of the client's NTLM authenticate message, as it went on the wire, is never recorded. */
function expectNoSecrets(session: SessionResult, user: string, password: string): void {
  const text = recorded(session);
  for (const form of secretForms(user, password)) expect(text).not.toContain(form);
  expect(text).toContain('response hidden');
  // The authenticate message starts "TlRMTVNTUAADAAAA" (NTLMSSP\0, type 3) on the wire.
  expect(text).not.toContain('TlRMTVNTUAADAAAA');
}

describe('the NTLM-only server (Exchange with Basic authentication turned off)', () => {
  it('offers NTLM and nothing else', async () => {
    const session = await probe({
      server: NTLM_ONLY,
      source: '127.0.0.5',
      user: 'alice',
      mechanism: 'ntlm',
      tls: 'none',
    });
    expect(session.capabilities?.authMechanisms).toEqual(['NTLM']);
  });

  for (const user of ['alice', 'bob']) {
    it(`${user} relays after NTLM, and the transcript holds no password, hash or response`, async () => {
      const session = await probe({ server: NTLM_ONLY, source: '127.0.0.5', user, tls: 'none' });
      expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
      expect(
        session.exchanges.find((exchange) => exchange.stage === 'auth' && exchange.reply.code === 235),
      ).toBeDefined();
      expectNoSecrets(session, user, PASSWORDS.get(user)!);
      const notes = session.events.flatMap((event) => (event.type === 'note' ? [event.text] : []));
      expect(notes.some((note) => note.startsWith('NTLM challenge: target "NTLM.CORP.TEST"'))).toBe(true);
    });
  }

  it('mallory authenticates with NTLM but is denied the relay', async () => {
    const session = await probe({ server: NTLM_ONLY, source: '127.0.0.5', user: 'mallory', tls: 'none' });
    const outcome = classifyOutcome(session);
    expect(outcome.outcome).toBe('recipient-rejected');
    expect(outcome.code).toBe(554);
    expectNoSecrets(session, 'mallory', PASSWORDS.get('mallory')!);
  });

  it('a wrong password is auth-failed and is not recorded either', async () => {
    const session = await probe({
      server: NTLM_ONLY,
      source: '127.0.0.5',
      user: 'alice',
      password: 'Wrong-Secret-9',
      tls: 'none',
    });
    expect(classifyOutcome(session).outcome).toBe('auth-failed');
    expectNoSecrets(session, 'alice', 'Wrong-Secret-9');
  });

  it('a domain account "CORP\\alice" and a UPN "alice@corp.test" both authenticate', async () => {
    for (const user of ['CORP\\alice', 'alice@corp.test']) {
      const session = await probe({
        server: NTLM_ONLY,
        source: '127.0.0.5',
        user,
        password: PASSWORDS.get('alice')!,
        tls: 'none',
      });
      expect(classifyOutcome(session).outcome, user).toBe('recipient-accepted');
    }
  });

  it('PLAIN is not offered: asking for it is auth-unavailable, and nothing is sent', async () => {
    const session = await probe({
      server: NTLM_ONLY,
      source: '127.0.0.5',
      user: 'alice',
      mechanism: 'plain',
      tls: 'none',
    });
    expect(classifyOutcome(session).outcome).toBe('auth-unavailable');
    expect(session.exchanges.some((exchange) => exchange.stage === 'auth')).toBe(false);
  });
});

describe('the relay server with NTLM among its mechanisms', () => {
  it('offers NTLM next to PLAIN, LOGIN and CRAM-MD5', async () => {
    const session = await probe({ server: RELAY, source: '127.0.0.5', user: 'alice', tls: 'none' });
    expect(session.capabilities?.authMechanisms).toEqual(['PLAIN', 'LOGIN', 'CRAM-MD5', 'NTLM']);
  });

  it('alice relays after NTLM over STARTTLS', async () => {
    const session = await probe({ server: RELAY, source: '127.0.0.5', user: 'alice', mechanism: 'ntlm' });
    expect(session.tls).toBeDefined();
    expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
    expectNoSecrets(session, 'alice', PASSWORDS.get('alice')!);
  });

  it('mallory is denied after NTLM', async () => {
    const session = await probe({ server: RELAY, source: '127.0.0.5', user: 'mallory', mechanism: 'ntlm' });
    expect(classifyOutcome(session).outcome).toBe('recipient-rejected');
  });
});

describe('a plan for the NTLM-only server', () => {
  it('runs its whole matrix with NTLM, every verdict right, and no secret in the run file', async () => {
    // The test bed plan's relay server policy, on the NTLM-only listener, with NTLM as the plan's mechanism.
    const base = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8')) as PlanInput;
    const relay = base.servers.find((server) => server.host === '127.0.0.2')!;
    const plan: PlanInput = {
      ...base,
      name: 'NTLM-only server',
      servers: [
        {
          ...relay,
          name: 'NTLM-only Virtual Server',
          host: NTLM_ONLY.host,
          port: 2525,
          banner: 'ntlm.corp.test',
          authMechanism: 'ntlm',
        },
      ],
      cases: [],
    };
    const planFile = path.join(folder, 'ntlm-plan.json');
    await fs.writeFile(planFile, JSON.stringify(plan));
    const secrets = await writeSecrets(folder, PASSWORDS);
    const out = path.join(folder, 'ntlm-run.json');
    const result = await relayTester(['run', planFile, '--secrets', secrets, '--out', out]);
    const text = await fs.readFile(out, 'utf8');
    const run = JSON.parse(text) as RunRecord;
    expect(
      run.cases
        .filter((testCase) => testCase.verdict !== 'pass')
        .map((testCase) => `${testCase.case.id}: ${testCase.reason}`),
    ).toEqual([]);
    expect(result.status).toBe(0);
    const authenticated = run.cases.filter((testCase) => testCase.case.account !== undefined);
    expect(authenticated.length).toBeGreaterThanOrEqual(3);
    for (const testCase of authenticated) {
      expect(JSON.stringify(testCase)).toContain('AUTH NTLM ');
    }
    for (const [user, password] of PASSWORDS) {
      for (const form of secretForms(user, password)) expect(text).not.toContain(form);
    }
    expect(text).not.toContain('TlRMTVNTUAADAAAA');
  });
});

describe('relay-tester probe --auth ntlm', () => {
  it('relays for bob through the NTLM-only server and prints the decoded challenge, not the response', async () => {
    const args = ['probe', '--host', NTLM_ONLY.host, '--port', '2525', '--source', '127.0.0.5', '--tls', 'none'];
    args.push(
      '--user',
      'bob',
      '--password-env',
      'RT_NTLM_PASSWORD',
      '--auth',
      'ntlm',
      '--from',
      'helpdesk@corp.test',
      '--to',
      'x@external.example',
    );
    const result = await relayTester(args, { env: { RT_NTLM_PASSWORD: PASSWORDS.get('bob')! } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('NTLM challenge: target "NTLM.CORP.TEST"');
    expect(result.stdout).toContain('<NTLMv2 authenticate message for bob');
    expect(result.stdout).toContain('Outcome: recipient-accepted');
    for (const form of secretForms('bob', PASSWORDS.get('bob')!)) expect(result.stdout).not.toContain(form);
    expect(result.stdout).not.toContain('TlRMTVNTUAADAAAA');
  });
});
