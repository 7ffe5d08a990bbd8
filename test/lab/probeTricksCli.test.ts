// `relay-tester probe --tricks` as a user runs it (the built CLI) against the lab's trick presets: one verdict per
// variant, the run's headline, and the exit status a script reads (1 for a proven trick relay, 5 for tricks to review).
import { afterEach, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset, type PresetName } from '../../main/lab/presets.js';
import { relayTester } from '../support/cli.js';

let lab: RunningLab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function probeTricks(preset: PresetName, extra: string[] = []) {
  lab = await startLab(labPreset(preset, { portBase: 0, aliases: true }));
  const relay = lab.servers[1]!;
  return relayTester([
    'probe',
    '--host',
    relay.host,
    '--port',
    String(relay.port),
    '--tls',
    'none',
    '--source',
    '127.0.0.5',
    '--from',
    'helpdesk@corp.test',
    '--tricks',
    ...extra,
  ]);
}

it('trick-local: accepted percent hacks need review, the headline counts them and the exit status is 5', async () => {
  const result = await probeTricks('trick-local');
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^NEEDS REVIEW percent hack: RCPT TO:<relay-test%external\.example@corp\.test>$/m);
  expect(result.stdout).toMatch(/^PASS {9}source route: RCPT TO:<@corp\.test:relay-test@external\.example>$/m);
  expect(result.stdout).toMatch(
    /^PASS {9}nmap smtp-open-relay test 4: RCPT TO:<relay-test@external\.example> from <antispam@\[127\.0\.0\.2\]>$/m,
  );
  expect(result.stdout).toContain(
    '\n26 of 26 cases decided: no open relay found; 6 address tricks accepted, to review\n',
  );
  expect(result.status).toBe(5);
});

it("trick-relay: a forwarded percent hack fails with the lab's proof, exit 1; --json gives the same verdicts", async () => {
  const result = await probeTricks('trick-relay', ['--json']);
  expect(result.status).toBe(1);
  const parsed = JSON.parse(result.stdout) as {
    headline: string;
    cases: { id: string; verdict: string; reason: string }[];
  };
  expect(parsed.cases).toHaveLength(26);
  const percent = parsed.cases.find((entry) => entry.id === 'probe/trick/percent-hack')!;
  expect(percent.verdict).toBe('fail');
  expect(percent.reason).toContain('the lab recorded that it would forward the mail to relay-test@external.example');
  expect(parsed.headline).toMatch(/^26 of 26 cases decided: OPEN RELAY, 6 cases relay that should not$/);
});

it('refuses --canary without --tricks, and more than one --to with it', async () => {
  const canary = await relayTester([
    'probe',
    '--host',
    '127.0.0.1',
    '--from',
    'a@corp.test',
    '--to',
    'b@x.example',
    '--canary',
    'c@x.example',
  ]);
  expect(canary.status).toBe(64);
  expect(canary.stderr).toContain('--canary needs --tricks');
  const two = await relayTester([
    'probe',
    '--host',
    '127.0.0.1',
    '--from',
    'a@corp.test',
    '--tricks',
    '--to',
    'b@x.example',
    '--to',
    'c@x.example',
  ]);
  expect(two.status).toBe(64);
  expect(two.stderr).toContain('--tricks takes at most one --to');
});
