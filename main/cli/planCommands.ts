// Small plan commands: `init` writes the commented example, `sources` shows which local address serves each
// source, `schema` prints the plan format's JSON Schema.
import { print, printJson, terminal, type TerminalText } from './output.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { addressSpecHint, parseAddressSpec } from '../../shared/addressSpec.js';
import { planJsonSchema } from '../../shared/plan.js';
import type { SourceBinding } from '../../shared/run.js';
import { prepareRun } from '../runner.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { projectRoot } from '../version.js';
import { INVALID_PLAN_EXIT, loadPlanOrReport } from './runCommand.js';
import { UsageError } from './usageError.js';

export async function initCommand(args: string[]): Promise<number> {
  const file = args[0] ?? 'relay-plan.json';
  try {
    await fs.access(file);
    throw new UsageError(`${file} already exists; choose another name`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  const example = await fs.readFile(path.join(projectRoot(), 'plans', 'example.json'), 'utf8');
  await writeFileAtomic(file, example);
  print(terminal`Wrote ${file}: edit the servers, accounts and sources, then run: relay-tester run ${file}\n`);
  return 0;
}

function servedBy(binding: SourceBinding): TerminalText {
  // A domain source says which forward-confirmed reverse name put it there.
  const name = binding.reverseName
    ? terminal`, ${binding.address} is ${binding.reverseName} (forward-confirmed)`
    : terminal``;
  if (binding.vantage) return terminal`served by vantage point ${binding.vantage} (${binding.via})${name}`;
  return binding.local
    ? terminal`served by local address ${binding.local}${name}`
    : terminal`NOT RUNNABLE HERE: ${binding.reason}`;
}

export async function sourcesCommand(args: string[]): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('usage: relay-tester sources PLAN.json');
  const plan = await loadPlanOrReport(file);
  if (!plan) return INVALID_PLAN_EXIT;
  const { sources, matrix } = await prepareRun(plan);
  for (const binding of sources) {
    const spec = parseAddressSpec(binding.source);
    const hint = 'error' in spec ? '' : addressSpecHint(spec);
    const uses = matrix.cases.filter((testCase) => testCase.source === binding.source).length;
    print(
      terminal`${binding.source}: ${servedBy(binding)} (${uses} case${uses === 1 ? '' : 's'})${hint ? terminal`\n    ${hint}` : ''}\n`,
    );
  }
  // Where each server's account cases connect from (shared/matrix.ts accountSource), or why they cannot run.
  const served = new Set(
    sources.filter((binding) => binding.local || binding.vantage).map((binding) => binding.source),
  );
  for (const server of plan.servers) {
    const accountCase = matrix.cases.find(
      (testCase) => testCase.server === server.name && ACCOUNT_KINDS.has(testCase.kind),
    );
    if (!accountCase) continue;
    const from = accountCase.unrunnable
      ? `NOT RUNNABLE: ${accountCase.unrunnable}`
      : `from ${accountCase.source}${accountCase.source && served.has(accountCase.source) ? '' : ' (not runnable here)'}`;
    print(terminal`account cases of ${server.name}: ${from}\n`);
  }
  return sources.every((binding) => binding.local || binding.vantage) ? 0 : 2;
}

const ACCOUNT_KINDS = new Set(['account', 'wrong-password', 'send-as-other', 'banner']);

export async function schemaCommand(): Promise<number> {
  printJson(planJsonSchema());
  return 0;
}
