// Plan warnings on the terminal: valid but probably not meant (shared/planWarnings.ts). Printed to stderr, so
// `run --json` stays pure JSON; they never change an exit status.
import type { Plan } from '../../shared/plan.js';
import { planWarnings } from '../../shared/planWarnings.js';
import { print, printError, terminal } from './output.js';

/** Prints every warning about the plan (to stderr unless it is the command's own output); returns how many. */
export function printPlanWarnings(file: string, plan: Plan, to: 'stdout' | 'stderr' = 'stderr'): number {
  const warnings = planWarnings(plan);
  const write = to === 'stdout' ? print : printError;
  for (const warning of warnings) write(terminal`${file}: warning: ${warning.path}: ${warning.message}\n`);
  return warnings.length;
}
