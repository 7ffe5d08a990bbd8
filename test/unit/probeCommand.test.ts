// "Copy as command" of the quick probe: the relay-tester and swaks lines say the same dialog, are safe to paste into
// a POSIX shell whatever the user typed, and never carry a password.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeOutcome } from '../../main/cli/probe.js';
import { passwordVariable as cliPasswordVariable } from '../../main/secrets.js';
import type { Outcome } from '../../shared/outcome.js';
import { outcomeLine, type ProbeSettings } from '../../shared/probe.js';
import { passwordVariable, relayTesterCommand, shellQuote, swaksCommand } from '../../shared/probeCommand.js';
import type { VantagePoint } from '../../shared/vantage.js';

const alice: ProbeSettings = {
  host: '127.0.0.2',
  port: 2525,
  tls: 'none',
  certificate: { mode: 'verify' },
  source: '127.0.0.5',
  account: 'alice',
  mechanism: 'login',
  helo: 'helpdesk.corp.test',
  from: 'alice@corp.test',
  to: ['someone@external.example'],
};

/** The words a POSIX shell makes of a line (sh itself splits it: the proof the quoting holds). */
function shellWords(command: string): string[] {
  const output = execFileSync('sh', ['-c', `for word in ${command}; do printf '%s\\0' "$word"; done`]);
  return output.toString('utf8').split('\0').slice(0, -1);
}

describe('copy as command', () => {
  it('writes the README’s probe of alice as relay-tester would take it', () => {
    expect(relayTesterCommand(alice)).toEqual({
      command:
        'relay-tester probe --host 127.0.0.2 --port 2525 --tls none --source 127.0.0.5 --user alice ' +
        '--password-env RELAY_TESTER_PASSWORD_ALICE --auth login --helo helpdesk.corp.test ' +
        '--from alice@corp.test --to someone@external.example',
      notes: ["Set RELAY_TESTER_PASSWORD_ALICE to alice's password first; it is never part of the command."],
    });
  });

  it('writes the same dialog for swaks, which asks for the password itself and stops after RCPT', () => {
    expect(swaksCommand(alice)).toEqual({
      command:
        'swaks --server 127.0.0.2 --port 2525 --local-interface 127.0.0.5 --ehlo helpdesk.corp.test ' +
        '--from alice@corp.test --to someone@external.example --auth LOGIN --auth-user alice --protect-prompt ' +
        '--auth-hide-password --quit-after RCPT',
      notes: ['swaks asks for the password when it connects.'],
    });
  });

  it('maps each TLS mode and certificate check to both tools', () => {
    const pinned = { ...alice, tls: 'auto' as const, certificate: { mode: 'pin' as const, sha256: 'AB:CD' } };
    expect(relayTesterCommand(pinned).command).toContain('--tls auto --pin-sha256 AB:CD');
    expect(swaksCommand(pinned).command).toContain('--tls-optional-strict');
    expect(swaksCommand(pinned).notes).toContain(
      'swaks cannot pin a certificate: it connects without checking the certificate.',
    );
    const verified = { ...alice, tls: 'starttls' as const };
    expect(swaksCommand(verified).command).toContain('--tls --tls-verify');
    const invalid = { ...alice, tls: 'implicit' as const, certificate: { mode: 'allow-invalid' as const } };
    expect(relayTesterCommand(invalid).command).toContain('--tls implicit --allow-invalid-cert');
    expect(swaksCommand(invalid).command).toContain('--tls-on-connect');
    expect(swaksCommand(invalid).command).not.toContain('--tls-verify');
  });

  it('quotes whatever was typed so the shell reads it back word for word', () => {
    const hostile = {
      ...alice,
      account: "o'brien $(touch /tmp/pwned)",
      helo: 'a;b',
      from: '',
      to: ['x`id`@external.example', 'two@external.example'],
    };
    const relay = shellWords(relayTesterCommand(hostile).command);
    expect(relay).toContain("o'brien $(touch /tmp/pwned)");
    expect(relay).toContain('a;b');
    expect(relay[relay.indexOf('--from') + 1]).toBe('');
    expect(relay).toContain('x`id`@external.example');
    const swaks = shellWords(swaksCommand(hostile).command);
    expect(swaks[swaks.indexOf('--from') + 1]).toBe('<>');
    expect(swaks[swaks.indexOf('--to') + 1]).toBe('x`id`@external.example,two@external.example');
    expect(shellQuote('plain@corp.test')).toBe('plain@corp.test');
  });

  it('connects through the plan’s vantage point with relay-tester and says swaks cannot', () => {
    const point = {
      name: 'branch',
      ssh: { host: '10.77.1.2', port: 22, user: 'relaytest', identityFile: 'relaytest', hostKeySha256: 'SHA256:abc' },
      serves: ['10.77.1.0/24'],
    } as VantagePoint;
    const relay = relayTesterCommand({ ...alice, vantage: 'branch' }, point);
    expect(relay.command).toContain('--via ssh://relaytest@10.77.1.2:22 --identity relaytest --host-key SHA256:abc');
    expect(relay.command).not.toContain('--source');
    const swaks = swaksCommand({ ...alice, vantage: 'branch' }, point);
    expect(swaks.command).not.toContain('--local-interface');
    expect(swaks.notes).toContain('swaks cannot connect through vantage point branch: run it on that machine.');
  });

  it('never puts a password on the line, and names the variable the CLI reads', () => {
    for (const command of [relayTesterCommand(alice).command, swaksCommand(alice).command]) {
      expect(command).not.toMatch(/--password(?!-env)|--auth-password| -ap /);
    }
    expect(passwordVariable('svc.mail-relay')).toBe(cliPasswordVariable('svc.mail-relay'));
  });

  it('words the outcome as `relay-tester probe` prints it', () => {
    const outcome: Outcome = {
      outcome: 'recipient-rejected',
      stage: 'rcpt',
      code: 550,
      enhancedCode: '5.7.1',
      text: 'Unable to relay',
    };
    expect(outcomeLine(outcome)).toBe(describeOutcome(outcome, false).text);
    const failed: Outcome = { outcome: 'auth-failed', stage: 'auth', code: 535, detail: 'bad', text: 'no' };
    expect(outcomeLine(failed)).toBe(describeOutcome(failed, false).text);
  });
});
