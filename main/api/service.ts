// The service behind the IPC contract: one implementation of every command, shared by the Electron main process
// and the browser host. Files are reached only inside the workspace folder or where the user pointed a dialog.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareRuns } from '../../shared/compare.js';
import type { AppInfo, EventPayloads, LabInfo, PlanDocument, RunListing } from '../../shared/ipc.js';
import { checkPlan, parsePlanText, type Plan } from '../../shared/plan.js';
import { headline } from '../../shared/coverage.js';
import type { RunRecord } from '../../shared/run.js';
import { compareReportHtml, runReportHtml } from '../report/htmlReport.js';
import { htmlToPdfBytes } from '../report/pdf.js';
import { prepareRun, runPlan } from '../runner.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { readPlanFile, writePlanFile } from '../store/planFile.js';
import { defaultRunFolder, listRuns, readRunFile, runFileName, saveRun } from '../store/runFile.js';
import { projectRoot, toolVersion } from '../version.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { PasswordStore } from './passwordStore.js';
import { ProgressBatcher } from './progressBatcher.js';

/** Native file dialogs, where the face has them (the desktop app). */
export interface Dialogs {
  openPlan(): Promise<string | undefined>;
  savePlan(suggestedName: string): Promise<string | undefined>;
  saveReport(suggestedName: string, format: 'html' | 'pdf'): Promise<string | undefined>;
}

/** The built-in lab as the service needs it: what runs, the demo plan against it and its lab-only passwords. */
export interface LabLink {
  info: LabInfo;
  demoPlan: Plan;
  passwords: ReadonlyMap<string, string>;
}

export interface ServiceOptions {
  face: AppInfo['face'];
  workspace: string;
  passwords: PasswordStore;
  emit: <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) => void;
  dialogs?: Dialogs;
  lab?: LabLink;
  /** Prints report HTML to PDF: Electron's printToPDF in the desktop app, headless Chromium elsewhere. */
  printPdf?: (html: string) => Promise<Uint8Array>;
  /** Told of every plan file opened or saved (the desktop app's recent plans). */
  onPlanFile?: (file: string) => void;
}

export interface Service {
  handlers: Handlers;
  /** Lets the UI reach a file the user picked outside the workspace (e.g. from the recent plans menu). */
  grant(file: string): void;
  /** Cancels every run and waits for them to save their partial results. */
  close(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const workspace = path.resolve(options.workspace);
  const granted = new Set<string>(); // files the user chose through a dialog
  const runs = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  const batcher = new ProgressBatcher((batch) => options.emit('runProgress', batch));

  function allowed(file: string, extensions: readonly string[] = ['.json']): string {
    const resolved = path.resolve(workspace, file);
    const inside = (folder: string) => resolved === folder || resolved.startsWith(`${folder}${path.sep}`);
    const grantedFolders = [...granted].map((plan) => defaultRunFolder(plan));
    if (!extensions.includes(path.extname(resolved))) {
      throw new ApiFailure('forbidden', `${file}: only ${extensions.join(' or ')} files may be used here`);
    }
    if (inside(workspace) || granted.has(resolved) || grantedFolders.some(inside)) return resolved;
    throw new ApiFailure('forbidden', `${file} is outside the workspace ${workspace}; open it with the file dialog`);
  }

  async function example(): Promise<unknown> {
    return JSON.parse(await fs.readFile(path.join(projectRoot(), 'plans', 'example.json'), 'utf8'));
  }

  function passwordsFor(plan: Plan, demo: boolean): Map<string, string> {
    const passwords = new Map<string, string>();
    for (const account of plan.accounts) {
      const password = options.passwords.get(account);
      if (password !== undefined) passwords.set(account, password);
    }
    // Against the lab, its own accounts' passwords win: the same names may have other passwords elsewhere.
    if (demo && options.lab) for (const [account, password] of options.lab.passwords) passwords.set(account, password);
    return passwords;
  }

  function isDemoPlan(plan: Plan): boolean {
    const lab = options.lab;
    return !!lab && plan.servers.every((server) => lab.info.servers.some((labServer) => labServer.host === server.host && labServer.port === server.port));
  }

  const handlers: Handlers = {
    async getAppInfo() {
      const startPlan: PlanDocument = options.lab ? { plan: options.lab.demoPlan, demo: true } : { plan: await example() };
      const info: AppInfo = {
        version: toolVersion(),
        face: options.face,
        workspace,
        platform: process.platform,
        startPlan,
        passwordStorage: options.passwords.storage,
      };
      if (options.lab) info.lab = options.lab.info;
      return info;
    },
    async newPlan() {
      return { plan: await example() };
    },
    async listPlans() {
      const names = await fs.readdir(workspace).catch(() => [] as string[]);
      const plans: { path: string; name: string }[] = [];
      for (const name of names.filter((entry) => entry.endsWith('.json')).sort()) {
        const check = await readPlanFile(path.join(workspace, name));
        if (check.ok) plans.push({ path: path.join(workspace, name), name: check.plan.name });
      }
      return plans;
    },
    async openPlan({ path: requested }) {
      let file: string;
      if (requested) file = allowed(requested);
      else if (options.dialogs) {
        const chosen = await options.dialogs.openPlan();
        if (!chosen) return null;
        file = path.resolve(chosen);
        granted.add(file);
      } else throw new ApiFailure('invalid-request', 'openPlan needs a path in the browser');
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        throw new ApiFailure('not-found', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      const check = parsePlanText(text);
      let plan: unknown;
      try {
        plan = JSON.parse(text);
      } catch {
        plan = undefined;
      }
      options.onPlanFile?.(file);
      return check.ok ? { path: file, plan } : { path: file, plan, problems: check.problems };
    },
    async savePlan({ path: requested, plan }) {
      const check = checkPlan(plan);
      if (!check.ok) return { saved: false, problems: check.problems };
      let file: string;
      if (requested) file = allowed(requested);
      else if (options.dialogs) {
        const chosen = await options.dialogs.savePlan(`${check.plan.name.replace(/[^\w.-]+/g, '-')}.json`);
        if (!chosen) return null;
        file = path.resolve(chosen.endsWith('.json') ? chosen : `${chosen}.json`);
        granted.add(file);
      } else throw new ApiFailure('invalid-request', 'savePlan needs a path in the browser');
      // Save what the user wrote (not the defaults the schema fills in), so the file stays as they made it.
      await writePlanFile(file, plan as Plan);
      options.onPlanFile?.(file);
      return { saved: true, path: file };
    },
    async inspectPlan({ plan }) {
      const check = checkPlan(plan);
      if (!check.ok) return { check };
      const { matrix, sources } = await prepareRun(check.plan);
      return { check, matrix, sources };
    },
    async setPassword({ account, password }) {
      await options.passwords.set(account, password);
      return options.passwords.storage;
    },
    async forgetPassword({ account }) {
      return { forgotten: await options.passwords.forget(account) };
    },
    async passwordStatus({ accounts }) {
      const known = new Set(options.passwords.known());
      if (options.lab) for (const account of options.lab.passwords.keys()) known.add(account);
      return { known: accounts.filter((account) => known.has(account)), storage: options.passwords.storage };
    },
    async startRun({ plan, planPath }) {
      const check = checkPlan(plan);
      if (!check.ok) return { problems: check.problems };
      const folder = planPath ? defaultRunFolder(allowed(planPath)) : path.join(workspace, 'runs');
      const runId = randomUUID();
      const controller = new AbortController();
      let finished: RunRecord | undefined;
      const done = runPlan(check.plan, {
        runId,
        passwords: passwordsFor(check.plan, isDemoPlan(check.plan)),
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
      const folder = planPath ? defaultRunFolder(allowed(planPath)) : path.join(workspace, 'runs');
      const listings: RunListing[] = [];
      for (const file of await listRuns(folder)) {
        try {
          const run = await readRunFile(file);
          listings.push({ file, planName: run.planName, startedAt: run.startedAt, cancelled: run.cancelled, summary: run.summary, headline: headline(run) });
        } catch {
          // A file that is not a run is not listed.
        }
      }
      return listings;
    },
    async loadRun({ file }) {
      return readRunOrFail(allowed(file));
    },
    async compareRuns({ before, after }) {
      const [earlier, later] = await Promise.all([readRunOrFail(allowed(before)), readRunOrFail(allowed(after))]);
      return compareRuns(earlier, later);
    },
    async exportReport({ runFile, format, compareWith, path: requested }) {
      const run = await readRunOrFail(allowed(runFile));
      const earlier = compareWith ? await readRunOrFail(allowed(compareWith)) : undefined;
      const name = `${fileNamePart(run.planName)}-${run.startedAt.replace(/[:.]/g, '-')}${earlier ? '-compared' : ''}.${format}`;
      let file: string;
      if (requested) file = allowed(requested, [`.${format}`]);
      else if (options.dialogs) {
        const chosen = await options.dialogs.saveReport(name, format);
        if (!chosen) return null;
        file = path.resolve(chosen);
      } else file = path.join(workspace, 'reports', name);
      const expanded = format === 'pdf';
      const html = earlier ? await compareReportHtml(earlier, run, { expanded }) : await runReportHtml(run, { expanded });
      await writeFileAtomic(file, format === 'html' ? html : await (options.printPdf ?? htmlToPdfBytes)(html));
      return { path: file };
    },
  };

  return {
    handlers,
    grant(file) {
      granted.add(path.resolve(file));
    },
    async close() {
      for (const run of runs.values()) run.controller.abort();
      await Promise.all([...runs.values()].map((run) => run.done));
      batcher.flush();
    },
  };
}

/** A plan name made safe as part of a file name. */
function fileNamePart(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'plan';
}

async function readRunOrFail(file: string): Promise<RunRecord> {
  try {
    return await readRunFile(file);
  } catch (error) {
    throw new ApiFailure('not-found', (error as Error).message);
  }
}
