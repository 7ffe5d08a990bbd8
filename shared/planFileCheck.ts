// Why a JSON file in the workspace can or cannot open as a plan, in the user's words: "not valid JSON", "a run file,
// not a plan", "not a Relay Tester plan", or the plan's first problems. File contents are untrusted, so every
// reason is made visible (checkPlan and parseJsonText already do so for what they quote).
import { checkPlan, parseJsonText, PLAN_LIMITS, type Plan } from './plan.js';
import { ensureVisible } from './text.js';

/** How many of an invalid plan's problems a listing names; the editor shows them all once opened. */
export const LISTED_PROBLEMS = 3;

export type PlanFileKind =
  'plan' | 'invalid-plan' | 'run-file' | 'not-a-plan' | 'not-json' | 'too-large' | 'unreadable';

export type PlanFileCheck =
  { kind: 'plan'; plan: Plan } | { kind: Exclude<PlanFileKind, 'plan'>; reasons: string[]; problemCount: number };

export function checkPlanFileText(text: string): PlanFileCheck {
  const json = parseJsonText(text, PLAN_LIMITS.maxBytes);
  if (!json.ok) {
    const message = json.problems[0]?.message ?? 'cannot be read';
    const kind = message.startsWith('not valid JSON') ? 'not-json' : 'too-large';
    return { kind, reasons: [ensureVisible(message)], problemCount: 1 };
  }
  const value = json.value;
  const object = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (object && 'relayTesterRun' in value) {
    return {
      kind: 'run-file',
      reasons: ['a run file, not a plan: show it from the History tab of its plan'],
      problemCount: 1,
    };
  }
  if (!object || !('relayTesterPlan' in value)) {
    return {
      kind: 'not-a-plan',
      reasons: [
        object
          ? 'not a Relay Tester plan: it has no "relayTesterPlan" version field'
          : 'not a Relay Tester plan: a plan is a JSON object',
      ],
      problemCount: 1,
    };
  }
  const check = checkPlan(value);
  if (check.ok) return { kind: 'plan', plan: check.plan };
  return {
    kind: 'invalid-plan',
    reasons: check.problems
      .slice(0, LISTED_PROBLEMS)
      .map((problem) => ensureVisible(problem.path === '$' ? problem.message : `${problem.path}: ${problem.message}`)),
    problemCount: check.problems.length,
  };
}
