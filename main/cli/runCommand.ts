// `relay-tester run plan.json`: derive, run, judge, save. Exit 0 only when every case ran and passed, 1 any fail,
// 2 anything undecided (skipped, inconclusive, error, cancelled), 3 the plan is invalid, 4 the run was not saved,
// 5 no fail but address tricks accepted, to review.
import { formatted, print, printError, printJson, terminal, type TerminalText } from './output.js';
import { RUN_USAGE } from './usage.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Plan, PlanProblem } from '../../shared/plan.js';
import { headline, runExitStatus } from '../../shared/coverage.js';
import { caseRan, type RunRecord } from '../../shared/run.js';
import { junitXml } from '../report/junit.js';
import { runPlan } from '../runner.js';
import {
  readSecretsFile,
  secretsFromEnvironment,
  SecretsError,
  secretsLookup,
  vantageSecretsOf,
  type Secret,
} from '../secrets.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { readPlanFile, readPlanOrRunFile } from '../store/planFile.js';
import { defaultRunFolder, runFileName, saveRun } from '../store/runFile.js';
import { vantageSecretName } from '../../shared/vantage.js';
import { vantageNeedsSecret } from '../vantage/vantagePool.js';
import { promptPassword } from './password.js';
import { UsageError } from './usageError.js';
import { progressBar, verdictMark } from './verdictText.js';
import { printPlanWarnings } from './planWarningsText.js';

export const INVALID_PLAN_EXIT = 3;
/** The run finished but its file could not be written (the results are still printed). */
export const SAVE_FAILED_EXIT = 4;

export function printProblems(file: string, problems: PlanProblem[]): void {
  printError(
    terminal`${file}: the plan is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was run\n`,
  );
  for (const problem of problems) printError(terminal`  ${problem.path}: ${problem.message}\n`);
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
 * SSH or a SOCKS5 password): secrets file, then environment, then a prompt when on a terminal. They are for this
 * plan's servers, unless a secrets file entry binds its password to some servers only.
 */
export async function collectPasswords(
  plan: Plan,
  secretsFile: string | undefined,
  planDir = process.cwd(),
): Promise<Map<string, Secret>> {
  const vantageSecrets = (plan.vantagePoints ?? []).map((point) => vantageSecretName(point.name));
  const passwords = secretsFromEnvironment([...plan.accounts, ...vantageSecrets]);
  if (secretsFile) {
    for (const [account, secret] of await readSecretsFile(secretsFile)) passwords.set(account, secret);
  }
  if (process.stdin.isTTY) {
    for (const account of plan.accounts) {
      if (passwords.has(account)) continue;
      // An account that signs in with OAuth is asked for its access token, which is kept like a password.
      const mechanism = plan.accountMechanisms?.[account];
      const secretName = mechanism === 'xoauth2' || mechanism === 'oauthbearer' ? 'Access token' : 'Password';
      passwords.set(account, { password: await promptPassword(`${secretName} for ${account}: `) });
    }
    for (const point of plan.vantagePoints ?? []) {
      const name = vantageSecretName(point.name);
      if (!passwords.has(name) && (await vantageNeedsSecret(point, planDir))) {
        const what = point.ssh?.identityFile
          ? `Passphrase for ${point.ssh.identityFile}`
          : `Password for ${point.name}`;
        passwords.set(name, { password: await promptPassword(`${what} (vantage point ${point.name}): `) });
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
      'retry-greylist': { type: 'string' },
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
  printPlanWarnings(planFile, plan);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new UsageError('--concurrency must be a whole number from 1 to 64');
  }
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0))
    throw new UsageError('--timeout must be a positive number');
  const retryGreylistSeconds = parseRetryGreylist(values['retry-greylist']);
  // Vantage points' key files are relative to the plan; a replayed run sits in <plan>.runs/ beside it.
  const planDir =
    check.replay && path.basename(path.dirname(path.resolve(planFile))).endsWith('.runs')
      ? path.dirname(path.dirname(path.resolve(planFile)))
      : path.dirname(path.resolve(planFile));
  let passwords;
  try {
    passwords = await collectPasswords(plan, values.secrets, planDir);
  } catch (error) {
    if (error instanceof SecretsError) throw new UsageError(error.message);
    throw error;
  }
  const run = await runWithProgress(
    plan,
    {
      passwords: secretsLookup(passwords),
      vantageSecrets: vantageSecretsOf(passwords),
      concurrency,
      timeoutSeconds,
      data: values.data,
      retryGreylistSeconds,
      planDir,
    },
    !values.json,
  );
  const folder = check.replay ? path.dirname(planFile) : defaultRunFolder(planFile);
  const out = values.out ?? path.join(folder, runFileName(run));
  // A run that cannot be saved is a failed run: say so and exit non-zero, but still write what can be written.
  const failures: string[] = [];
  await saveRun(out, run).catch((error: Error) => failures.push(`could not save the run to ${out}: ${error.message}`));
  if (values.junit) {
    await writeFileAtomic(values.junit, junitXml(run)).catch((error: Error) =>
      failures.push(`could not save the JUnit XML to ${values.junit}: ${error.message}`),
    );
  }
  if (values.json) printJson(run);
  else if (failures.length === 0) {
    print(terminal`Run saved to ${out}\n${values.junit ? terminal`JUnit XML saved to ${values.junit}\n` : ''}`);
  }
  if (failures.length > 0) {
    for (const failure of failures) printError(terminal`relay-tester run: ${failure}\n`);
    printError(terminal`relay-tester run: the run failed: its results were not saved (${headline(run)})\n`);
    return SAVE_FAILED_EXIT;
  }
  return runExitStatus(run);
}

/** `--retry-greylist SECONDS`: the wait before retrying a greylisted case (the plan's settings.retryGreylistSeconds). */
export function parseRetryGreylist(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new UsageError(
      "--retry-greylist must be a whole number of seconds from 1 to 3600 (the server's greylisting delay)",
    );
  }
  return seconds;
}

export async function runWithProgress(
  plan: Plan,
  options: Omit<Parameters<typeof runPlan>[1], 'onProgress' | 'signal'>,
  show: boolean,
): Promise<RunRecord> {
  const tty = show && Boolean(process.stdout.isTTY);
  const colour = tty && !process.env.NO_COLOR;
  const write = (text: TerminalText) => show && print(text);
  const controller = new AbortController();
  const onSigint = () => {
    write(terminal`\nCancelling: finishing open sessions and saving partial results...\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await runPlan(plan, {
      ...options,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.type === 'run-started') {
          write(terminal`Running "${plan.name}": ${progress.cases.length} cases\n`);
          for (const binding of progress.sources) {
            const from = binding.vantage
              ? terminal`via ${binding.vantage} (${binding.via})`
              : binding.local
                ? terminal`from ${binding.local}`
                : terminal`NOT RUNNABLE: ${binding.reason}`;
            write(terminal`  source ${binding.source}: ${from}\n`);
          }
        } else if (progress.type === 'case-finished') {
          const { result } = progress;
          // Cases a cancel stopped are summed up at the end, not listed one by one.
          if (!caseRan(result)) return;
          const indent = ' '.repeat(13);
          const line = terminal`${formatted(verdictMark(result.verdict, colour))} ${result.case.title}\n${indent}${result.reason}${result.warning ? terminal`\n${indent}warning: ${result.warning}` : ''}\n`;
          // The progress bar is redrawn in place: carriage return and erase-line are the program's own controls.
          if (tty) write(terminal`\r\x1b[2K${line}${progressBar(progress.done, progress.total)}`);
          else write(line);
        } else if (progress.type === 'run-finished') {
          if (tty) write(terminal`\r\x1b[2K`);
          const { run } = progress;
          const summary = run.summary;
          const ran = run.cases.filter(caseRan).length;
          write(
            terminal`${run.cancelled ? terminal`\nCancelled after ${ran} of ${run.cases.length} cases\n` : ''}\n${headline(run)}\n${summary.pass} pass, ${summary.fail} fail, ${summary['needs-review'] ? `${summary['needs-review']} needs review, ` : ''}${summary.inconclusive} inconclusive, ${summary.error} error, ${summary.skipped} skipped, ${summary.cancelled} cancelled\n`,
          );
        }
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
