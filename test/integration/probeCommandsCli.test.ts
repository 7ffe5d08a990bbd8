// "Copy as command" of the quick probe, run for real against the Postfix test bed: the relay-tester line (password
// from its environment variable) and the swaks line (password at swaks's own prompt) end where the app's probe
// ends, with the same reply code, for alice relaying after AUTH LOGIN and for an unapproved source.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService } from '../../main/api/service.js';
import type { ProbeProgress, ProbeSettings } from '../../shared/probe.js';
import { passwordVariable, relayTesterCommand, swaksCommand } from '../../shared/probeCommand.js';
import { temporaryFolder } from '../support/cli.js';
import { PASSWORDS, RELAY_SERVER, ROOT, assertTestbedRunning } from '../support/testbed.js';

const ALICE_PASSWORD = PASSWORDS.get('alice')!;

/** A folder whose `relay-tester` is this checkout's, first on the PATH of the pasted commands. */
let bin: string;

/** Runs a copied command line in sh, as a user pasting it would. */
function pasted(command: string, options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      env: { PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1', ...options.env },
    });
    child.stdin.on('error', () => undefined); // a command that reads no input may be gone before it is written
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(options.input ?? '');
  });
}

/** The reply code swaks printed for the (first) RCPT TO: its line after " -> RCPT TO:". */
function swaksRcptCode(output: string): number {
  const lines = output.split('\n');
  const rcpt = lines.findIndex((line) => line.startsWith(' -> RCPT TO:'));
  const reply = lines.slice(rcpt + 1).find((line) => /^<(-|\*\*) /.test(line));
  return Number(/^<(?:-|\*\*)\s+(\d{3})/.exec(reply ?? '')?.[1]);
}

const service = createService({
  face: 'browser',
  workspace: '/nonexistent',
  passwords: new MemoryPasswordStore(),
  emit: (event, payload) => {
    if (event === 'probeProgress') for (const item of payload as ProbeProgress[]) progress.push(item);
  },
});
const progress: ProbeProgress[] = [];

/** The app's probe of `settings` (the typed password for `account`): its outcome code. */
async function appProbe(settings: ProbeSettings, password?: string): Promise<number | undefined> {
  const started = await service.handlers.startProbe({
    host: settings.host,
    port: settings.port,
    tls: settings.tls,
    ...(settings.source ? { source: settings.source } : {}),
    ...(settings.account ? { account: settings.account } : {}),
    ...(settings.mechanism ? { mechanism: settings.mechanism } : {}),
    ...(password ? { password } : {}),
    helo: settings.helo,
    from: settings.from,
    to: settings.to,
  });
  if (!('probeId' in started)) throw new Error('asked for consent');
  await expect
    .poll(() => progress.find((item) => item.probeId === started.probeId && item.type !== 'probe-event'))
    .toBeDefined();
  const end = progress.find((item) => item.probeId === started.probeId && item.type === 'probe-finished');
  return end?.type === 'probe-finished' ? end.outcome.code : undefined;
}

const base: ProbeSettings = {
  ...RELAY_SERVER,
  tls: 'none',
  certificate: { mode: 'verify' },
  source: '127.0.0.5',
  helo: 'helpdesk.corp.test',
  from: 'helpdesk@corp.test',
  to: ['someone@external.example'],
};

beforeAll(async () => {
  assertTestbedRunning();
  bin = await temporaryFolder();
  const launcher = `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/relay-tester.js')}" "$@"\n`;
  await fs.writeFile(path.join(bin, 'relay-tester'), launcher, { mode: 0o755 });
});
afterAll(() => service.close());

describe('the copied commands do what the app’s probe did', () => {
  it('alice relays after AUTH LOGIN: 250 from the app, relay-tester and swaks alike', async () => {
    const alice: ProbeSettings = { ...base, account: 'alice', mechanism: 'login', from: 'alice@corp.test' };
    expect(await appProbe(alice, ALICE_PASSWORD)).toBe(250);

    const relay = relayTesterCommand(alice);
    const cli = await pasted(relay.command, { env: { [passwordVariable('alice')]: ALICE_PASSWORD } });
    expect(cli.output).toContain('C: AUTH LOGIN');
    expect(cli.output).toMatch(/Outcome: recipient-accepted at rcpt 250 /);
    expect(cli.status).toBe(0);

    const swaks = await pasted(swaksCommand(alice).command, { input: `${ALICE_PASSWORD}\n` });
    expect(swaks.output).toContain(' -> AUTH LOGIN');
    expect(swaks.output).toMatch(/<- {2}235 /);
    expect(swaksRcptCode(swaks.output)).toBe(250);
    // Neither tool shows the password, even base64-encoded.
    for (const output of [cli.output, swaks.output]) {
      expect(output).not.toContain(ALICE_PASSWORD);
      expect(output).not.toContain(Buffer.from(ALICE_PASSWORD).toString('base64'));
    }
  });

  it('an unapproved source is refused at RCPT with the same code by all three', async () => {
    const code = await appProbe(base);
    expect(code).toBeGreaterThanOrEqual(550);
    const cli = await pasted(relayTesterCommand(base).command);
    expect(cli.output).toContain(`Outcome: recipient-rejected at rcpt ${code} `);
    const swaks = await pasted(swaksCommand(base).command);
    expect(swaksRcptCode(swaks.output)).toBe(code);
  });
});
