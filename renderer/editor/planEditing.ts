// What every editor field needs: the plan being edited, its problems and warnings, and how to change it at a path.
import type { PlanProblem } from '../../shared/plan.js';
import type { PlanWarning } from '../../shared/planWarnings.js';
import type { PathKey } from '../plan/planEdit.js';

export interface PlanEditing {
  plan: unknown;
  problems: readonly PlanProblem[];
  /** Valid but probably not meant (shared/planWarnings.ts): shown beside their fields, never blocking a run. */
  warnings?: readonly PlanWarning[];
  set(path: readonly PathKey[], value: unknown): void;
  remove(path: readonly PathKey[]): void;
  disabled: boolean;
}

/** A stable DOM id for a plan path, for labels and aria-describedby. */
export function fieldId(path: readonly PathKey[], suffix = ''): string {
  return `field-${path.join('-').replace(/[^A-Za-z0-9_-]/g, '_')}${suffix ? `-${suffix}` : ''}`;
}

/** The id of the problems and warnings shown under the field of a JSON path (FieldProblems). */
export function messagesId(at: string): string {
  return `messages-${at.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Whether a path has problems or warnings, and the ARIA attributes that tie them to its control. */
export function fieldState(editing: PlanEditing, at: string, extraDescription?: string) {
  const invalid = editing.problems.some((problem) => problem.path === at);
  const warned = (editing.warnings ?? []).some((warning) => warning.path === at);
  const describedBy = [extraDescription, invalid || warned ? messagesId(at) : undefined].filter(Boolean).join(' ');
  return {
    invalid,
    aria: {
      'aria-invalid': invalid || undefined,
      'aria-describedby': describedBy || undefined,
    },
  } as const;
}
