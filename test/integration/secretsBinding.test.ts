// The CLI's passwords are for the plan named on its command line, all its servers; a secrets file entry can bind
// its password to some servers only. Against the Postfix test bed and a real credential-recording listener.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { USAGE_EXIT } from '../../main/cli/exitCodes.js';
import { secretForms } from '../../shared/redact.js';
import type { RunRecord } from '../../shared/run.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import { startCredentialTrap, strangersPlan, type CredentialTrap } from '../support/credentialTrap.js';
import { assertTestbedRunning, PASSWORDS, RELAY_SERVER } from '../support/testbed.js';

const ALICE_PASSWORD = PASSWORDS.get('alice')!;
let folder: string;
let trap: CredentialTrap;
let planFile: string;

async function secretsFile(content: unknown): Promise<string> {
  const file = path.join(folder, 'secrets.json');
  await fs.writeFile(file, JSON.stringify(content), { mode: 0o600 });
  return file;
}

async function run(secrets: string): Promise<RunRecord> {
  const out = path.join(folder, 'run.json');
  const result = await relayTester(['run', planFile, '--secrets', secrets, '--out', out]);
  expect(result.stderr).toBe('');
  return JSON.parse(await fs.readFile(out, 'utf8')) as RunRecord;
}

function aliceOn(run: RunRecord, server: string) {
  return run.cases.filter(
    (result) => result.case.account === 'alice' && !result.case.wrongPassword && result.case.server === server,
  );
}

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));
beforeEach(async () => {
  trap = await startCredentialTrap();
  planFile = path.join(folder, 'stranger.json');
  await fs.writeFile(planFile, JSON.stringify(strangersPlan(trap)));
});
afterEach(() => trap.close());

describe('passwords given to run', () => {
  it('a plain secrets file entry is for every server of the plan on the command line', async () => {
    const result = await run(await secretsFile({ alice: ALICE_PASSWORD }));
    expect(aliceOn(result, 'Relay').every((item) => item.verdict === 'pass')).toBe(true);
    expect(trap.credentials).toContainEqual({ user: 'alice', password: ALICE_PASSWORD });
  }, 60_000);

  it('an entry bound to servers is sent to them only: the other cases are skipped and say why', async () => {
    const testbed = `${RELAY_SERVER.host}:${RELAY_SERVER.port}`;
    const result = await run(await secretsFile({ alice: { password: ALICE_PASSWORD, servers: [testbed] } }));
    const onRelay = aliceOn(result, 'Relay');
    expect(onRelay.length).toBeGreaterThan(0);
    expect(onRelay.every((item) => item.verdict === 'pass')).toBe(true);
    const onTrap = aliceOn(result, 'Collector');
    expect(onTrap.length).toBeGreaterThan(0);
    for (const item of onTrap) {
      expect(item).toMatchObject({
        verdict: 'skipped',
        reason: `alice's password in the secrets file is bound to ${testbed}; it is not sent to 127.0.0.1:${trap.port}`,
      });
    }
    expect(trap.credentials.filter((credential) => credential.password === ALICE_PASSWORD)).toEqual([]);
    for (const form of secretForms('alice', ALICE_PASSWORD)) expect(trap.received()).not.toContain(form);
  }, 60_000);

  it.each([
    [
      { alice: { password: 'Canary-Secret-9', servers: [] } },
      /the entry for "alice" needs "servers": a list of at least one host:port/,
    ],
    [
      { alice: { password: 'Canary-Secret-9', servers: ['mail.corp.test'] } },
      /the entry for "alice": "mail.corp.test" is not host:port/,
    ],
    [
      { alice: { password: 'Canary-Secret-9', server: ['mail.corp.test:25'] } },
      /the entry for "alice" has an unknown field "server"/,
    ],
    [{ alice: { servers: ['mail.corp.test:25'] } }, /the entry for "alice" has no "password" string/],
  ])('refuses a bound entry it cannot use, without quoting the password: %j', async (content, message) => {
    const result = await relayTester(['run', planFile, '--secrets', await secretsFile(content)]);
    expect(result.status).toBe(USAGE_EXIT);
    expect(result.stderr).toMatch(message);
    expect(result.stderr + result.stdout).not.toContain('Canary-Secret-9');
    expect(trap.connections).toBe(0);
  });
});
