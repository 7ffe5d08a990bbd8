// Passwords typed at the prompt on a terminal: asked for each account without one, never echoed, never printed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { base64Utf8 } from '../../shared/redact.js';
import { temporaryFolder } from '../support/cli.js';
import { PASSWORDS, ROOT, TESTBED_PLAN } from '../support/testbed.js';

it('asks on a terminal for each password, without echo, and runs the plan with them', async () => {
  const folder = await temporaryFolder();
  const out = path.join(folder, 'run.json');
  const command = [process.execPath, path.join(ROOT, 'bin/relay-tester.js'), 'run', TESTBED_PLAN, '--out', out]
    .map((part) => `'${part}'`)
    .join(' ');
  // script(1) gives the command a real pseudo-terminal, as a person at a terminal has.
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
  });
  let output = '';
  const asked: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const [account, password] of PASSWORDS) {
      if (!asked.includes(account) && output.includes(`Password for ${account}: `)) {
        asked.push(account);
        child.stdin.write(`${password}\r`);
      }
    }
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(asked).toEqual(['alice', 'bob', 'mallory']);
  expect(status).toBe(0);
  expect(output).toMatch(/(\d+) of \1 cases decided: no open relay found/);
  for (const password of PASSWORDS.values()) {
    expect(output).not.toContain(password);
    expect(output).not.toContain(base64Utf8(password));
  }
});
