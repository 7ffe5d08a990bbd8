// The small plan commands as a user runs them: init, sources, schema.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { checkPlan } from '../../shared/plan.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import { TESTBED_PLAN } from '../support/testbed.js';

it('init writes a valid, commented example plan and never overwrites a file', async () => {
  const folder = await temporaryFolder();
  const first = await relayTester(['init', 'plan.json'], { cwd: folder });
  expect(first.status).toBe(0);
  const plan = JSON.parse(await fs.readFile(path.join(folder, 'plan.json'), 'utf8'));
  expect(checkPlan(plan).ok).toBe(true);
  expect(plan.$comment).toMatch(/Passwords are never stored here/);
  const second = await relayTester(['init', 'plan.json'], { cwd: folder });
  expect(second.status).toBe(64);
  expect(second.stderr).toMatch(/already exists/);
});

it('sources shows which local address serves each source, and what cannot be served', async () => {
  const folder = await temporaryFolder();
  const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  plan.sources.push('10.1.2.0/24', 'mail.example.org');
  const file = path.join(folder, 'plan.json');
  await fs.writeFile(file, JSON.stringify(plan));
  const result = await relayTester(['sources', file]);
  expect(result.status).toBe(2);
  expect(result.stdout).toMatch(/^127\.0\.1\.0\/24: served by local address 127\.0\.1\.1/m);
  expect(result.stdout).toMatch(
    /^10\.1\.2\.0\/24: NOT RUNNABLE HERE: no local address in 10\.1\.2\.0\/24: add an alias or run from that subnet/m,
  );
  expect(result.stdout).toMatch(/^mail\.example\.org: NOT RUNNABLE HERE: .*reverse DNS/m);
  expect(result.stdout).toMatch(/know who can get an address in this subnet/);
  expect(result.stdout).toMatch(/^account cases of SMTP Relay Virtual Server: from 127\.0\.0\.5$/m);

  // The helpdesk PC: no neutral source is local, and one named accountSource is in a relay list.
  plan.sources = ['203.0.113.9', '127.0.0.10'];
  plan.accountSource = '127.0.0.10';
  await fs.writeFile(file, JSON.stringify(plan));
  const listed = await relayTester(['sources', file]);
  expect(listed.stdout).toMatch(/^account cases of Default SMTP Virtual Server: from 127\.0\.0\.10$/m);
  expect(listed.stdout).toMatch(
    /^account cases of SMTP Relay Virtual Server: NOT RUNNABLE: the plan's accountSource 127\.0\.0\.10 is in the relay list/m,
  );
  delete plan.accountSource;
  await fs.writeFile(file, JSON.stringify(plan));
  const remote = await relayTester(['sources', file]);
  expect(remote.stdout).toMatch(
    /^account cases of SMTP Relay Virtual Server: from 203\.0\.113\.9 \(not runnable here\)$/m,
  );
});

it('schema prints the JSON Schema of the plan format', async () => {
  const result = await relayTester(['schema']);
  expect(result.status).toBe(0);
  const schema = JSON.parse(result.stdout);
  expect(schema.required).toContain('relayTesterPlan');
});

it("check states each server's policy in Exchange's words and warns without failing", async () => {
  const folder = await temporaryFolder();
  const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  const file = path.join(folder, 'plan.json');
  await fs.writeFile(file, JSON.stringify(plan));
  const clean = await relayTester(['check', file]);
  expect(clean.status).toBe(0);
  expect(clean.stdout).toContain('valid plan');
  expect(clean.stdout).toMatch(/^ {4}relay restrictions: Only the list below: 127\.0\.0\.10, 127\.0\.1\.0\/24$/m);
  expect(clean.stdout).toMatch(/^ {4}connection control: All except the list below: 127\.0\.9\.0\/24$/m);
  expect(clean.stdout).toMatch(/^No warnings\.$/m);

  plan.servers[1].relay = { mode: 'allExcept', users: ['alice', 'bob'], hosts: [], anyAuthenticated: true };
  plan.servers[0].relay.hosts = ['0.0.0.0/0'];
  await fs.writeFile(file, JSON.stringify(plan));
  const warned = await relayTester(['check', file]);
  expect(warned.status).toBe(0);
  expect(warned.stdout).toMatch(/relay restrictions: All except the list below: empty list \(every computer\)/);
  expect(warned.stdout).toMatch(/may relay after authenticating: any authenticated user may relay/);
  expect(warned.stdout).toContain(
    `${file}: warning: $.servers[0].relay.hosts[0]: 0.0.0.0/0 is every IPv4 address: it makes this server an open relay for anyone on the internet`,
  );
  expect(warned.stdout).toContain(`${file}: warning: $.servers[1].relay.mode: "All except the list below"`);
  expect(warned.stdout).toContain(`${file}: warning: $.servers[1].relay.users: Any account that authenticates`);

  plan.servers[1].port = 70000;
  await fs.writeFile(file, JSON.stringify(plan));
  const invalid = await relayTester(['check', file]);
  expect(invalid.status).toBe(3);
  expect(invalid.stderr).toContain('$.servers[1].port: Port must be from 1 to 65535');
});

it('run prints the plan warnings first, on stderr, and they do not change the exit status', async () => {
  const folder = await temporaryFolder();
  const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  // Nothing listens on port 9 of 127.0.0.1: every case is undecided, the same with or without the warning.
  plan.servers = [{ ...plan.servers[0], port: 9, host: '127.0.0.1' }];
  plan.sources = ['127.0.0.5'];
  plan.accounts = [];
  plan.settings = { timeoutSeconds: 2 };
  const file = path.join(folder, 'plan.json');
  await fs.writeFile(file, JSON.stringify(plan));
  const before = await relayTester(['run', file, '--json']);
  plan.domains.external = plan.domains.local[0];
  await fs.writeFile(file, JSON.stringify(plan));
  const after = await relayTester(['run', file, '--json']);
  expect(after.stderr).toContain(
    `${file}: warning: $.domains.external: The external domain corp.test is also a local domain`,
  );
  expect(before.stderr).not.toContain('warning:');
  expect(after.status).toBe(before.status);
  expect(JSON.parse(after.stdout).cases).toHaveLength(2);
});
