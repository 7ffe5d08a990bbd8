// `npm run bench`: the test bed plan's whole matrix, timed four ways in one run so the figures are ratios
// against baselines measured alongside: the engine serially and concurrently, a minimal raw-socket dialog, and
// swaks in a loop. Needs the Postfix test bed (started here) and swaks.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPlan } from '../../shared/plan.js';
import { prepareRun, runPlan, sessionSpecFor } from '../runner.js';
import { runSession } from '../smtp/session.js';
import type { SessionSpec } from '../smtp/sessionSpec.js';
import { projectRoot } from '../version.js';
import { rawDialog } from './rawDialog.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PASSWORDS = new Map([
  ['alice', 'Alice-Secret-1'],
  ['bob', 'Bob-Secret-2'],
  ['mallory', 'Mallory-Secret-3'],
]);

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function swaksArguments(spec: SessionSpec): string[] {
  const args = ['--server', spec.host, '--port', String(spec.port), '--helo', spec.helo, '--silent', '2'];
  if (spec.source) args.push('--local-interface', spec.source);
  if (spec.tls === 'auto') args.push('--tls-optional');
  if (spec.auth) args.push('--auth', 'PLAIN', '--auth-user', spec.auth.user, '--auth-password', spec.auth.password);
  const mail = spec.steps.find((step) => step.kind === 'mail');
  const rcpt = spec.steps.find((step) => step.kind === 'rcpt');
  if (mail?.kind === 'mail' && rcpt?.kind === 'rcpt')
    args.push('--from', mail.from, '--to', rcpt.to, '--quit-after', 'RCPT');
  else args.push('--to', 'nobody@corp.test', '--quit-after', 'EHLO');
  return args;
}

async function main(): Promise<void> {
  const root = projectRoot();
  execFileSync('bash', [path.join(root, 'test/postfix/testbed.sh'), 'start'], { stdio: 'inherit' });
  const check = checkPlan(JSON.parse(readFileSync(path.join(root, 'test/postfix/plan.json'), 'utf8')));
  if (!check.ok) throw new Error('the test bed plan is invalid');
  const plan = check.plan;
  const { sources, matrix } = await prepareRun(plan);
  const bindings = new Map(sources.map((binding) => [binding.source, binding]));
  const specs = matrix.cases
    .map((testCase) => sessionSpecFor(testCase, plan, bindings, { passwords: PASSWORDS }))
    .flatMap((prepared) => ('spec' in prepared ? [prepared.spec] : []));
  const cases = specs.length;
  console.log(`Relay Tester benchmark: ${cases} dialogs of the test bed matrix, median of ${ROUNDS} rounds\n`);

  const engineSerial: number[] = [];
  const rawSerial: number[] = [];
  const engineConcurrent: number[] = [];
  const engineConcurrent8: number[] = [];
  await time(() => runPlan(plan, { passwords: PASSWORDS })); // warm-up: JIT, TLS session setup, Postfix processes
  for (let round = 0; round < ROUNDS; round += 1) {
    rawSerial.push(
      await time(async () => {
        for (const spec of specs) await rawDialog(spec);
      }),
    );
    engineSerial.push(
      await time(async () => {
        for (const spec of specs) await runSession(spec);
      }),
    );
    engineConcurrent.push(await time(() => runPlan(plan, { passwords: PASSWORDS, concurrency: 4 })));
    engineConcurrent8.push(await time(() => runPlan(plan, { passwords: PASSWORDS, concurrency: 8 })));
  }
  const swaks =
    spawnSync('swaks', ['--version']).status === 0
      ? await time(async () => {
          for (const spec of specs) spawnSync('swaks', swaksArguments(spec), { stdio: 'ignore' });
        })
      : undefined;

  const raw = median(rawSerial);
  const engine = median(engineSerial);
  const concurrent = median(engineConcurrent);
  const concurrent8 = median(engineConcurrent8);
  const rows: [string, number][] = [
    ['raw-socket dialogs, serial (baseline)', raw],
    ['engine sessions, serial', engine],
    ['runPlan, concurrency 4 per server', concurrent],
    ['runPlan, concurrency 8 per server', concurrent8],
  ];
  if (swaks !== undefined) rows.push(['swaks loop, serial (1 round)', swaks]);
  for (const [name, ms] of rows) {
    console.log(
      `${name.padEnd(40)} ${ms.toFixed(1).padStart(9)} ms  ${(ms / cases).toFixed(2).padStart(7)} ms/case  ${(ms / raw).toFixed(2)}x baseline`,
    );
  }
  const overhead = (engine - raw) / raw;
  console.log(
    `\nengine overhead over the raw-socket baseline: ${((engine - raw) / cases).toFixed(2)} ms per case (${(overhead * 100).toFixed(1)}%; target within 10%)`,
  );
  if (swaks !== undefined) {
    console.log(
      `full matrix with the engine (concurrency 4) vs the swaks loop: ${(swaks / concurrent).toFixed(1)}x faster (target at least 5x)`,
    );
  } else {
    console.log('swaks is not installed: the swaks comparison was not measured');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
