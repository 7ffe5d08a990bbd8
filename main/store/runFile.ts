// Saved runs: one JSON file per run, written atomically; by default beside the plan in "<plan>.runs/".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RUN_VERSION, upgradeRun, type RunRecord } from '../../shared/run.js';
import { writeJsonAtomic } from './atomicFile.js';

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

export async function readRunFile(file: string): Promise<RunRecord> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new RunFileError(`cannot read run file ${file}: ${(error as Error).message}`);
  }
  const run = value as Partial<RunRecord> | null;
  if (!run || run.relayTesterRun !== RUN_VERSION || !Array.isArray(run.cases)) {
    throw new RunFileError(`${file} is not a Relay Tester run file (version ${RUN_VERSION})`);
  }
  return upgradeRun(run as RunRecord);
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
