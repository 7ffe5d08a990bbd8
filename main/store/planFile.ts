// Reading and writing plan files. Reading never throws for a bad file: it returns every problem with its path.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { PLAN_LIMITS, parsePlanText, type Plan, type PlanCheck } from '../../shared/plan.js';
import { checkRun } from '../../shared/runSchema.js';
import { writeJsonAtomic } from './atomicFile.js';
import { errorMessage } from '../../shared/errorMessage.js';

export async function readPlanFile(file: string): Promise<PlanCheck> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (error) {
    return {
      ok: false,
      problems: [
        { path: '$', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}` },
      ],
    };
  }
  if (size > PLAN_LIMITS.maxBytes) {
    return {
      ok: false,
      problems: [{ path: '$', message: `the file is ${size} bytes; plans are limited to ${PLAN_LIMITS.maxBytes}` }],
    };
  }
  return parsePlanText(await fs.readFile(file, 'utf8'));
}

/**
 * Reads a plan, or the plan inside a saved run (to replay it): the plan a run was made from is stored in it.
 * `replay` says which one it was.
 */
export async function readPlanOrRunFile(file: string): Promise<PlanCheck & { replay: boolean }> {
  const check = await readPlanFile(file);
  if (check.ok) return { ...check, replay: false };
  let value: { relayTesterRun?: unknown } | undefined;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8')) as typeof value;
  } catch {
    return { ...check, replay: false };
  }
  if (!value || typeof value !== 'object' || value.relayTesterRun === undefined) return { ...check, replay: false };
  // A run replayed is validated whole, like one opened in the app, not only the plan inside it.
  const run = checkRun(value);
  return run.ok ? { ok: true, plan: run.run.plan, replay: true } : { ok: false, replay: true, problems: run.problems };
}

export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeJsonAtomic(file, plan);
}

/** JSON with object keys sorted, so equal plans hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function planHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}
