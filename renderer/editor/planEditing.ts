// What every editor field needs: the plan being edited, its problems, and how to change it at a path.
import type { PlanProblem } from '../../shared/plan.js';
import type { PathKey } from '../plan/planEdit.js';

export interface PlanEditing {
  plan: unknown;
  problems: readonly PlanProblem[];
  set(path: readonly PathKey[], value: unknown): void;
  remove(path: readonly PathKey[]): void;
  disabled: boolean;
}

/** A stable DOM id for a plan path, for labels and aria-describedby. */
export function fieldId(path: readonly PathKey[], suffix = ''): string {
  return `field-${path.join('-').replace(/[^A-Za-z0-9_-]/g, '_')}${suffix ? `-${suffix}` : ''}`;
}
