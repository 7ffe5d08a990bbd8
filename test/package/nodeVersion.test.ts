// On a Node.js older than package.json's engines, npm only warns at install; the command itself must then say
// what is wrong instead of failing somewhere inside. This machine has one Node, so the test makes it report an
// old version (process.versions is what the check reads) before the command starts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/testbed.js';

const PRETEND_NODE_18 = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"18.20.4"})';

it('relay-tester on Node 18 says which Node it needs, without a stack trace, and starts nothing', () => {
  const result = spawnSync(
    process.execPath,
    ['--import', PRETEND_NODE_18, path.join(ROOT, 'bin/relay-tester.js'), 'demo'],
    { encoding: 'utf8' },
  );
  expect(result.status).toBe(78);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(
    'relay-tester needs Node.js 20.19 or later (22 or 24 LTS recommended); this is Node.js 18.20.4. ' +
      'Install a current Node.js from your distribution or nodejs.org, then run relay-tester again.\n',
  );
});

it('relay-tester on this Node runs', () => {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/relay-tester.js'), '--version'], {
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
});
