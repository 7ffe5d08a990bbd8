// Once per test run: build dist/ (the CLI tests spawn bin/relay-tester.js, the UI tests load dist/renderer) and
// make sure the Postfix test bed is up (testbed.sh start is idempotent and fast when running; it needs root).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  // RELAY_TESTER_TESTBED names another checkout's testbed.sh, so that several checkouts on one machine share one
  // test bed instead of rewriting its configuration in turn.
  const testbed = process.env.RELAY_TESTER_TESTBED ?? path.join(root, 'test/postfix/testbed.sh');
  execFileSync('bash', [testbed, 'start'], { cwd: root, stdio: 'inherit' });
}
