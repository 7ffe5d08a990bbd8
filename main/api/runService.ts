// The run commands: starting a run (after the password check), following it to the window, saving it beside its
// plan, cancelling it; and reading saved runs back for the history.
import { errorMessage } from '../../shared/errorMessage.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { compareRuns } from '../../shared/compare.js';
import { headline, headlineTone } from '../../shared/coverage.js';
import type { EventPayloads, RunListing } from '../../shared/ipc.js';
import { checkPlan } from '../../shared/plan.js';
import type { RunRecord } from '../../shared/run.js';
import { prepareRun, runPlan } from '../runner.js';
import { promises as fs } from 'node:fs';
import { listRuns, readRunFile, runFileName, saveRun } from '../store/runFile.js';
import { checkLabel, readLabels, writeLabel } from '../store/runLabels.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { PasswordService } from './passwordService.js';
import type { PasswordStore } from './passwordStore.js';
import { ProgressBatcher } from './progressBatcher.js';
import { appSecretAdvice, vantageSecretsFor } from './vantageSecrets.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type RunHandlers = Pick<
  Handlers,
  'startRun' | 'cancelRun' | 'listRuns' | 'loadRun' | 'compareRuns' | 'deleteRun' | 'labelRun'
>;

export interface RunService {
  handlers: RunHandlers;
  /** Cancels every run and waits for them to save their partial results. */
  close(): Promise<void>;
}

export function createRunService(
  access: WorkspaceAccess,
  passwords: PasswordService,
  emit: (event: 'runProgress', payload: EventPayloads['runProgress']) => void,
  store: PasswordStore,
): RunService {
  const runs = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  const batcher = new ProgressBatcher((batch) => emit('runProgress', batch));
  // Label changes of one runs folder are written one after the other, so two quick edits cannot lose one.
  let labelWrites: Promise<unknown> = Promise.resolve();

  /** A saved run of the plan, by its file: only a run file directly in the plan's runs folder (never a link). */
  async function ownRunFile(file: string, planPath: string | undefined): Promise<{ folder: string; resolved: string }> {
    const folder = await access.runFolder(planPath);
    const resolved = await access.allowed(file);
    const stat = await fs.lstat(resolved).catch(() => undefined);
    if (path.dirname(resolved) !== folder || path.basename(resolved).startsWith('.') || !stat?.isFile()) {
      throw new ApiFailure('forbidden', `${file} is not a saved run of this plan (its runs are in ${folder})`);
    }
    await readRunOrFail(resolved); // only a file that is a run is deleted or labelled
    return { folder, resolved };
  }

  const handlers: RunHandlers = {
    async startRun({ plan, planPath, consent }) {
      const check = checkPlan(plan);
      if (!check.ok) return { problems: check.problems };
      const folder = await access.runFolder(planPath);
      const { sources, matrix } = await prepareRun(check.plan);
      const allowed = await passwords.forRun(check.plan, matrix.cases, consent);
      if ('consentNeeded' in allowed) return allowed;
      const runId = randomUUID();
      const controller = new AbortController();
      let finished: RunRecord | undefined;
      const done = runPlan(check.plan, {
        runId,
        sources,
        passwords: allowed.lookup,
        // Vantage points' key files are relative to the plan; their secrets come from the store, bound to them.
        planDir: planPath ? path.dirname(await access.allowed(planPath)) : access.workspace,
        vantageSecrets: vantageSecretsFor(check.plan, store),
        vantageSecretAdvice: appSecretAdvice,
        signal: controller.signal,
        // The finish is announced once the run is saved, so the UI can list and open it at once.
        onProgress: (progress) => progress.type !== 'run-finished' && batcher.push(progress),
      })
        .then(async (run) => {
          finished = run;
          const file = path.join(folder, runFileName(run));
          await saveRun(file, run).catch((error: Error) => {
            throw new Error(`could not save the run to ${file}: ${error.message}`);
          });
          batcher.push({ type: 'run-finished', runId, run, file });
        })
        // A run that cannot finish or be saved is a failed run: the window is told, never left "running".
        .catch((error: Error) => {
          console.error(`run ${runId} failed: ${error.message}`);
          batcher.push({ type: 'run-failed', runId, message: error.message, ...(finished ? { run: finished } : {}) });
        })
        .finally(() => runs.delete(runId));
      runs.set(runId, { controller, done });
      return { runId };
    },
    async cancelRun({ runId }) {
      const run = runs.get(runId);
      if (!run) return { cancelled: false };
      run.controller.abort();
      await run.done;
      return { cancelled: true };
    },
    async listRuns({ planPath }) {
      const folder = await access.runFolder(planPath);
      const labels = await readLabels(folder);
      const listings: RunListing[] = [];
      for (const file of await listRuns(folder)) {
        try {
          await access.allowed(file); // a link among the runs that leads out of their folder is not followed
          const run = await readRunFile(file);
          const listing: RunListing = {
            file,
            planName: run.planName,
            startedAt: run.startedAt,
            cancelled: run.cancelled,
            summary: run.summary,
            headline: headline(run),
            tone: headlineTone(run),
            durationMs: Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)) || 0,
          };
          const label = labels.get(path.basename(file));
          if (label) listing.label = label;
          listings.push(listing);
        } catch {
          // A file that is not a run is not listed.
        }
      }
      return listings;
    },
    async loadRun({ file }) {
      return readRunOrFail(await access.allowed(file));
    },
    async compareRuns({ before, after }) {
      const [earlier, later] = await Promise.all([
        readRunOrFail(await access.allowed(before)),
        readRunOrFail(await access.allowed(after)),
      ]);
      return compareRuns(earlier, later);
    },
    async deleteRun({ file, planPath }) {
      const { folder, resolved } = await ownRunFile(file, planPath);
      await fs.unlink(resolved);
      const name = path.basename(resolved);
      labelWrites = labelWrites.then(async () => {
        if ((await readLabels(folder)).has(name)) await writeLabel(folder, name, '');
      });
      await labelWrites.catch(() => undefined); // the run is gone; a stale label is never listed
      return { deleted: true };
    },
    async labelRun({ file, planPath, label }) {
      const checked = checkLabel(label);
      if (!checked.ok) throw new ApiFailure('invalid-request', checked.problem);
      const { folder, resolved } = await ownRunFile(file, planPath);
      const write = labelWrites.then(() => writeLabel(folder, path.basename(resolved), checked.label));
      labelWrites = write.catch(() => undefined);
      await write;
      return checked.label ? { label: checked.label } : {};
    },
  };

  return {
    handlers,
    async close() {
      for (const run of runs.values()) run.controller.abort();
      await Promise.all([...runs.values()].map((run) => run.done));
      batcher.flush();
    },
  };
}

/** A saved run, or "not found" in the user's words when the file is missing or is not a run. */
export async function readRunOrFail(file: string): Promise<RunRecord> {
  try {
    return await readRunFile(file);
  } catch (error) {
    throw new ApiFailure('not-found', errorMessage(error));
  }
}
