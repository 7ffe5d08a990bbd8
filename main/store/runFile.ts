// Saved runs: one JSON file per run, written atomically; by default beside the plan in "<plan>.runs/".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../shared/run.js';
import { describeRunProblems, parseRunText, RUN_LIMITS } from '../../shared/runSchema.js';
import { makeVisible } from '../../shared/text.js';
import { writeJsonAtomic } from './atomicFile.js';
import { errorMessage } from '../../shared/errorMessage.js';

export function defaultRunFolder(planFile: string): string {
  return path.join(path.dirname(planFile), `${path.basename(planFile, path.extname(planFile))}.runs`);
}

export function runFileName(run: Pick<RunRecord, 'startedAt'>): string {
  return `${run.startedAt.replace(/[:.]/g, '-')}.json`;
}

export async function saveRun(file: string, run: RunRecord): Promise<void> {
  await writeJsonAtomic(file, run);
}

export class RunFileError extends Error {}

/** Reads and validates a run file (shared/runSchema.ts); every text in the run returned is visible. */
export async function readRunFile(file: string): Promise<RunRecord> {
  let text: string;
  try {
    const size = (await fs.stat(file)).size;
    if (size > RUN_LIMITS.maxBytes)
      throw new Error(`the file is ${size} bytes; run files are limited to ${RUN_LIMITS.maxBytes}`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new RunFileError(`cannot read run file ${makeVisible(file)}: ${makeVisible(errorMessage(error))}`);
  }
  const check = parseRunText(text);
  if (!check.ok) throw new RunFileError(describeRunProblems(file, check.problems));
  return check.run;
}

/** Saved runs of a plan, newest first. */
export async function listRuns(folder: string): Promise<string[]> {
  try {
    const names = await fs.readdir(folder);
    return names
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort()
      .reverse()
      .map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}
