// No secret in a child's arguments or environment (issue 10): passwords given as RELAY_TESTER_PASSWORD_<ACCOUNT>
// stay with relay-tester. The child here is the Chromium that prints PDFs, replaced by a script that records what
// it was given (and prints a stand-in PDF); the run it reports on is a real run against the Postfix test bed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childEnvironment } from '../../main/childEnvironment.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import { assertTestbedRunning, PASSWORDS, TESTBED_PLAN } from '../support/testbed.js';

let folder: string;

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

it('the PDF printer gets neither a password in its arguments nor a password variable in its environment', async () => {
  const passwordVariables = Object.fromEntries(
    [...PASSWORDS].map(([account, password]) => [`RELAY_TESTER_PASSWORD_${account.toUpperCase()}`, password]),
  );
  const out = path.join(folder, 'run.json');
  const run = await relayTester(['run', TESTBED_PLAN, '--out', out], { env: passwordVariables });
  expect(run.status, run.stderr).toBe(0);

  const chromium = path.join(folder, 'chromium');
  const record = path.join(folder, 'record');
  await fs.writeFile(
    chromium,
    `#!/bin/sh\nprintf '%s\\n' "$@" > ${record}.args\nenv > ${record}.env\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf '%%PDF-1.4\\n' > "\${a#--print-to-pdf=}";; esac; done\n`,
    { mode: 0o755 },
  );
  const report = await relayTester(['report', out, '--pdf', path.join(folder, 'run.pdf')], {
    env: { ...passwordVariables, RELAY_TESTER_CHROMIUM: chromium },
  });
  expect(report.status, report.stderr).toBe(0);
  const given = (await fs.readFile(`${record}.args`, 'utf8')) + (await fs.readFile(`${record}.env`, 'utf8'));
  expect(given).toContain('--print-to-pdf=');
  expect(given).toContain('PATH=');
  expect(given).not.toContain('RELAY_TESTER_PASSWORD');
  for (const password of PASSWORDS.values()) expect(given).not.toContain(password);
}, 60_000);

it('keeps every other variable a child needs (display, session bus, PATH)', () => {
  const environment = {
    PATH: '/usr/bin',
    DISPLAY: ':0',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    RELAY_TESTER_PASSWORD_ALICE: 'x',
    relay_tester_password_bob: 'y',
  };
  expect(childEnvironment(environment)).toEqual({
    PATH: '/usr/bin',
    DISPLAY: ':0',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
  });
});
