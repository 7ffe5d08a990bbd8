// `relay-tester run plan.json`: derive, run, judge, save. Exit 0 all pass, 1 any fail, 2 any inconclusive or
// error and no fail, 3 the plan is invalid.
import { RUN_USAGE } from './usage.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Plan, PlanProblem } from '../../shared/plan.js';
import { headline, runExitStatus, type RunRecord } from '../../shared/run.js';
import { junitXml } from '../report/junit.js';
import { runPlan } from '../runner.js';
import { readSecretsFile, secretsFromEnvironment, SecretsError } from '../secrets.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { readPlanFile, readPlanOrRunFile } from '../store/planFile.js';
import { defaultRunFolder, runFileName, saveRun } from '../store/runFile.js';
import { vantageNeedsSecret, vantageSecretName } from '../vantage/vantagePool.js';
import { promptPassword } from './password.js';
import { UsageError } from './usageError.js';
import { progressBar, verdictMark } from './verdictText.js';


export const INVALID_PLAN_EXIT = 3;

export function printProblems(file: string, problems: PlanProblem[]): void {
  process.stderr.write(`${file}: the plan is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was run\n`);
  for (const problem of problems) process.stderr.write(`  ${problem.path}: ${problem.message}\n`);
}

/** Loads and validates a plan file, or prints every problem and returns undefined. */
export async function loadPlanOrReport(file: string): Promise<Plan | undefined> {
  const check = await readPlanFile(file);
  if (!check.ok) {
    printProblems(file, check.problems);
    return undefined;
  }
  return check.plan;
}

/**
 * Passwords for the plan's accounts, and the secrets of its vantage points ("vantage:NAME": a key passphrase, an
 * SSH or a SOCKS5 password): secrets file, then environment, then a prompt when on a terminal.
 */
export async function collectPasswords(plan: Plan, secretsFile: string | undefined, planDir = process.cwd()): Promise<Map<string, string>> {
  const vantageSecrets = (plan.vantagePoints ?? []).map(vantageSecretName);
  const passwords = secretsFromEnvironment([...plan.accounts, ...vantageSecrets]);
  if (secretsFile) {
    for (const [account, password] of await readSecretsFile(secretsFile)) passwords.set(account, password);
  }
  if (process.stdin.isTTY) {
    for (const account of plan.accounts) {
      if (!passwords.has(account)) passwords.set(account, await promptPassword(`Password for ${account}: `));
    }
    for (const point of plan.vantagePoints ?? []) {
      const name = vantageSecretName(point);
      if (!passwords.has(name) && (await vantageNeedsSecret(point, planDir))) {
        const what = point.ssh?.identityFile ? `Passphrase for ${point.ssh.identityFile}` : `Password for ${point.name}`;
        passwords.set(name, await promptPassword(`${what} (vantage point ${point.name}): `));
      }
    }
  }
  return passwords;
}

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      secrets: { type: 'string' },
      out: { type: 'string' },
      junit: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      data: { type: 'boolean' },
      json: { type: 'boolean', default: false },
    },
  });
  const [planFile] = positionals;
  if (!planFile || positionals.length > 1) throw new UsageError(`usage: ${RUN_USAGE}`);
  // A saved run holds the plan it was made from: giving it replays that plan.
  const check = await readPlanOrRunFile(planFile);
  if (!check.ok) {
    printProblems(planFile, check.problems);
    return INVALID_PLAN_EXIT;
  }
  const { plan } = check;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new UsageError('--concurrency must be a whole number from 1 to 64');
  }
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) throw new UsageError('--timeout must be a positive number');
  // Vantage points' key files are relative to the plan; a replayed run sits in <plan>.runs/ beside it.
  const planDir = check.replay && path.basename(path.dirname(path.resolve(planFile))).endsWith('.runs')
    ? path.dirname(path.dirname(path.resolve(planFile)))
    : path.dirname(path.resolve(planFile));
  let passwords;
  try {
    passwords = await collectPasswords(plan, values.secrets, planDir);
  } catch (error) {
    if (error instanceof SecretsError) throw new UsageError(error.message);
    throw error;
  }
  const run = await runWithProgress(plan, { passwords, concurrency, timeoutSeconds, data: values.data, planDir }, !values.json);
  const folder = check.replay ? path.dirname(planFile) : defaultRunFolder(planFile);
  const out = values.out ?? path.join(folder, runFileName(run));
  await saveRun(out, run);
  if (values.junit) await writeFileAtomic(values.junit, junitXml(run));
  if (values.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else process.stdout.write(`Run saved to ${out}\n${values.junit ? `JUnit XML saved to ${values.junit}\n` : ''}`);
  return runExitStatus(run.summary);
}

export async function runWithProgress(
  plan: Plan,
  options: Omit<Parameters<typeof runPlan>[1], 'onProgress' | 'signal'>,
  show: boolean,
): Promise<RunRecord> {
  const tty = show && Boolean(process.stdout.isTTY);
  const colour = tty && !process.env.NO_COLOR;
  const write = (text: string) => show && process.stdout.write(text);
  const controller = new AbortController();
  const onSigint = () => {
    write('\nCancelling: finishing open sessions and saving partial results...\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await runPlan(plan, {
      ...options,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.type === 'run-started') {
          write(`Running "${plan.name}": ${progress.cases.length} cases\n`);
          for (const binding of progress.sources) {
            const from = binding.vantage ? `via ${binding.vantage} (${binding.via})` : binding.local ? `from ${binding.local}` : `NOT RUNNABLE: ${binding.reason}`;
            write(`  source ${binding.source}: ${from}\n`);
          }
        } else if (progress.type === 'case-finished') {
          const { result } = progress;
          const line = `${verdictMark(result.verdict, colour)} ${result.case.title}\n${' '.repeat(13)}${result.reason}${result.warning ? `\n${' '.repeat(13)}warning: ${result.warning}` : ''}\n`;
          if (tty) write(`\r\x1b[2K${line}${progressBar(progress.done, progress.total)}`);
          else write(line);
        } else if (progress.type === 'run-finished') {
          if (tty) write('\r\x1b[2K');
          const summary = progress.run.summary;
          write(
            `\n${headline(progress.run)}\n${summary.pass} pass, ${summary.fail} fail, ${summary.inconclusive} inconclusive, ${summary.error} error, ${summary.skipped} skipped\n`,
          );
        }
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
