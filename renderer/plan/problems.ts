// Plan problems (from checkPlan) placed beside the fields they are about, by JSON path.
import type { PlanProblem } from '../../shared/plan.js';

/** Problems about exactly this path. */
export function problemsAt(problems: readonly PlanProblem[], path: string): PlanProblem[] {
  return problems.filter((problem) => problem.path === path);
}

/** Problems about this path or anything inside it. */
export function problemsUnder(problems: readonly PlanProblem[], path: string): PlanProblem[] {
  return problems.filter(
    (problem) => problem.path === path || problem.path.startsWith(`${path}.`) || problem.path.startsWith(`${path}[`),
  );
}

/** The element that edits a path, or the nearest one above it, so a problem in the summary can focus its field. */
export function fieldFor(root: ParentNode, path: string): HTMLElement | undefined {
  let current = path;
  while (current.length > 1) {
    const found = [...root.querySelectorAll<HTMLElement>('[data-path]')].find(
      (element) => element.dataset.path === current,
    );
    if (found) return found;
    const parent = current.replace(/(\[[^\]]*\]|\.[^.[]+)$/, '');
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}
