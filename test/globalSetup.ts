// Once per run of the "integration" project (vitest.config.ts): install the Debian packages the tests need, build
// dist/ (the CLI tests spawn bin/relay-tester.js, the UI tests load dist/renderer) and make sure the Postfix test
// bed is up (testbed.sh start is idempotent and fast when running). Whatever is missing is said in the first
// second, with the command that fixes it, instead of after the build or as a timeout in every test.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the integration tests install Debian packages and run a Postfix test bed, so they need root: run ' +
        '"sudo npm test", or "npm run test:unit" for the tests that need neither',
    );
  }
  runStep('bash', [path.join(root, 'test/setup/packages.sh')]);
  runStep('npm', ['run', 'build', '--silent']);
  // RELAY_TESTER_TESTBED names another checkout's testbed.sh, so that several checkouts on one machine share one
  // test bed instead of rewriting its configuration in turn.
  const testbed = process.env.RELAY_TESTER_TESTBED ?? path.join(root, 'test/postfix/testbed.sh');
  runStep('bash', [testbed, 'start']);
}

/** Runs one set-up step with its output shown; a failure ends the run with the step's own message above it. */
function runStep(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch {
    throw new Error(
      `test set-up failed at "${[command, ...args.map((arg) => (path.isAbsolute(arg) ? path.relative(root, arg) : arg))].join(' ')}" (see above)`,
    );
  }
}
