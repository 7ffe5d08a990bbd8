// Warnings about a valid plan that is probably not what its author meant: valid, so it runs, but a helpdesk should
// see them beside the field before trusting the verdict (e.g. 0.0.0.0/0 in a relay list makes an open relay).
// Pure; the app shows each beside its field (by JSON path), the CLI prints them with `plan check`.
import type { Plan, PlanProblem } from './plan.js';

/** A warning has the same shape as a problem: the JSON path of the field it is about, and plain words. */
export type PlanWarning = PlanProblem;

/** Every warning about a valid plan, in the order of the fields they are about. */
export function planWarnings(plan: Plan): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (plan.domains.local.includes(plan.domains.external)) {
    warnings.push({
      path: '$.domains.external',
      message: `The external domain ${plan.domains.external} is also a local domain, so no case would test relaying`,
    });
  }
  return warnings;
}
