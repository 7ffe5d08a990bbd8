// `relay-tester demo` and `relay-tester lab` as a user runs them (the built bin/relay-tester.js; test/globalSetup.ts
// compiles dist/ first): the demo's exit status says whether the lab behaved, the lab runs until a signal stops it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relayTester } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';
import { smtpDialog } from './smtpDialog.js';

describe('relay-tester demo', () => {
  it('passes every case against the secure preset, prints the matrix and exits 0', async () => {
    const result = await relayTester(['demo']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\n31 of 31 cases decided: no open relay found\n');
    expect(result.stdout).toContain('31 pass, 0 fail, 0 inconclusive, 0 error, 0 skipped, 0 cancelled');
    expect(result.stdout).toMatch(/^case +Default SMTP Virtual Server +SMTP Relay Virtual Server$/m);
    expect(result.stdout).toMatch(/^from-127\.0\.9\.0\/24\/to-local +PASS \(relay\) +PASS \(reject-at-connect\)$/m);
    // The demo supplies the lab's passwords itself and does not print them.
    expect(result.stdout).not.toContain('lab-password');
  });

  it('shows the open relay of the open-relay preset and exits 1', async () => {
    const result = await relayTester(['demo', '--preset', 'open-relay']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('31 of 31 cases decided: OPEN RELAY, 3 cases relay that should not');
    const failures = (result.stdout.match(/^FAIL .*$/gm) ?? []).map((line) => line.replace(/^FAIL\s+/, '')).sort();
    expect(failures).toEqual([
      '127.0.0.5 via SMTP Relay Virtual Server → external: should not relay',
      '127.0.2.5 via SMTP Relay Virtual Server → external: should not relay',
      'mallory via SMTP Relay Virtual Server → external: should not relay',
    ]);
    expect(result.stdout).toMatch(/^as-mallory\/to-external +PASS \(deny\) +FAIL \(deny\)$/m);
  });

  it('refuses an unknown preset with a usage error', async () => {
    const result = await relayTester(['demo', '--preset', 'wide-open']);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('unknown preset "wide-open"; choose one of: secure, open-relay');
  });
});

describe('relay-tester lab', () => {
  it('runs in the foreground, prints addresses, accounts and passwords, logs sessions and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/relay-tester.js'), 'lab', '--port-base', '0', '--preset', 'secure'],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('press Ctrl+C to stop')) resolve();
      });
    });
    try {
      await Promise.race([ready, exited.then(() => Promise.reject(new Error(`the lab exited early: ${stderr}`)))]);
      expect(stdout).toContain('alice    password alice-lab-password');
      expect(stdout).toContain('mallory  password mallory-lab-password  groups: Authenticated Users');
      // The relay virtual server's settings as the plan fields that state them (test/lab/exchangePlans.test.ts).
      expect(stdout).toContain(
        '    in a plan: "relay": {"users": ["alice", "bob"], "hosts": ["127.0.0.10", "127.0.1.0/24"]}, "connect": {"deny": ["127.0.9.0/24"]}',
      );
      const relayPort = Number(
        /SMTP Relay Virtual Server: 127\.0\.0\.2:(\d+), greets as relay\.corp\.test/.exec(stdout)?.[1],
      );
      expect(relayPort).toBeGreaterThan(0);

      const { replies } = await smtpDialog({ host: '127.0.0.2', port: relayPort }, ['EHLO swaks.test', 'QUIT'], {
        localAddress: '127.0.0.5',
      });
      expect(replies[0]!.text).toContain('relay.corp.test');
      await expect.poll(() => stdout).toContain('C: EHLO swaks.test');
      expect(stdout).toMatch(/\[SMTP Relay Virtual Server\] \w+ 127\.0\.0\.5:\d+ S: 220 relay\.corp\.test/);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('SIGINT: stopping the lab...');
      expect(stdout).toContain('Stopped. 0 messages accepted (none was sent on).');
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
