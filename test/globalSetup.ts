// Once per test run: compile dist/ (the CLI tests spawn bin/relay-tester.js) and make sure the Postfix test bed
// is up (testbed.sh start is idempotent and fast when it already runs; it needs root, as in CI).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  execFileSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  execFileSync('bash', [path.join(root, 'test/postfix/testbed.sh'), 'start'], { cwd: root, stdio: 'inherit' });
}
