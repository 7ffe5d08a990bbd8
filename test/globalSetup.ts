// Once per test run: build dist/ (the CLI tests spawn bin/relay-tester.js, the UI tests load dist/renderer) and
// make sure the Postfix test bed is up (testbed.sh start is idempotent and fast when running; it needs root).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  execFileSync('bash', [path.join(root, 'test/postfix/testbed.sh'), 'start'], { cwd: root, stdio: 'inherit' });
}
