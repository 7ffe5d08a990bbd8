// `relay-tester check PLAN.json`: is the plan valid, what policy does it state for each server (in Exchange System
// Manager's words), how many cases follow from it, and what looks unintended. Exit 0 when valid, warnings or not.
import { deriveMatrix } from '../../shared/matrix.js';
import { serverPolicyWords } from '../../shared/policyWords.js';
import { INVALID_PLAN_EXIT, loadPlanOrReport } from './runCommand.js';
import { print, terminal } from './output.js';
import { printPlanWarnings } from './planWarningsText.js';
import { CHECK_USAGE } from './usage.js';
import { UsageError } from './usageError.js';

export async function checkCommand(args: string[]): Promise<number> {
  const [file] = args;
  if (!file || args.length > 1) throw new UsageError(`usage: ${CHECK_USAGE}`);
  const plan = await loadPlanOrReport(file);
  if (!plan) return INVALID_PLAN_EXIT;
  const matrix = deriveMatrix(plan);
  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  print(
    terminal`${file}: valid plan "${plan.name}": ${count(plan.servers.length, 'server')}, ${count(matrix.cases.length, 'case')}\n`,
  );
  for (const server of plan.servers) {
    const words = serverPolicyWords(server);
    print(
      terminal`  ${server.name} (${server.host}:${server.port})\n    relay restrictions: ${words.relayComputers}\n    may relay after authenticating: ${words.relayAccounts}\n    connection control: ${words.connection}\n`,
    );
  }
  for (const note of matrix.notes) print(terminal`  note: ${note}\n`);
  const warnings = printPlanWarnings(file, plan, 'stdout');
  if (warnings === 0) print(terminal`No warnings.\n`);
  return 0;
}
