// The plan commands: the start plan, the blank plan of New, listing, opening and saving plan files, and
// inspecting a plan as it is edited.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppInfo, PlanDocument, PlanListing } from '../../shared/ipc.js';
import { checkPlan, parsePlanText, PLAN_LIMITS, PLAN_VERSION, type Plan } from '../../shared/plan.js';
import { checkPlanFileText, type PlanFileCheck } from '../../shared/planFileCheck.js';
import { makeVisible } from '../../shared/text.js';
import { writeNewFileAtomic } from '../store/atomicFile.js';
import { prepareRun } from '../runner.js';
import { writePlanFile } from '../store/planFile.js';
import { staysWithin } from '../store/workspacePath.js';
import { projectRoot, toolVersion } from '../version.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { Dialogs, ServiceOptions } from './service.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type PlanHandlers = Pick<
  Handlers,
  'getAppInfo' | 'newPlan' | 'listPlans' | 'openPlan' | 'importPlan' | 'savePlan' | 'inspectPlan'
>;

export function planHandlers(access: WorkspaceAccess, options: ServiceOptions): PlanHandlers {
  const { workspace } = access;

  /** A file chosen in the native dialog, if the face has one; it may be used from now on. */
  async function chosenFile(
    choose: (dialogs: Dialogs) => Promise<string | undefined>,
    command: string,
  ): Promise<string | null> {
    if (!options.dialogs) throw new ApiFailure('invalid-request', `${command} needs a path in the browser`);
    const chosen = await choose(options.dialogs);
    if (!chosen) return null;
    const file = path.resolve(chosen);
    access.grant(file);
    return file;
  }

  return {
    async getAppInfo() {
      const startPlan: PlanDocument = options.lab
        ? { plan: options.lab.demoPlan, demo: true }
        : { plan: await example() };
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
      return { plan: blankPlan() };
    },
    async listPlans() {
      // Every JSON file, the ones that cannot open too, each with why: a file that vanishes from the list says nothing.
      const names = await fs.readdir(workspace).catch(() => [] as string[]);
      const plans: PlanListing[] = [];
      for (const name of names
        .filter((entry) => entry.toLowerCase().endsWith('.json') && !entry.startsWith('.'))
        .sort()) {
        const file = path.join(workspace, name);
        if (!(await staysWithin(workspace, file, { followRoot: true }))) continue;
        const check = await checkFile(file);
        if (!check) continue; // a folder named *.json, or a file gone since readdir
        const fileName = makeVisible(name);
        plans.push(
          check.kind === 'plan'
            ? { path: file, name: check.plan.name, fileName, kind: 'plan' }
            : {
                path: file,
                name: fileName,
                fileName,
                kind: check.kind,
                reasons: check.reasons,
                problemCount: check.problemCount,
              },
        );
      }
      return plans;
    },
    async openPlan({ path: requested }) {
      const file = requested
        ? await access.allowed(requested)
        : await chosenFile((dialogs) => dialogs.openPlan(), 'openPlan');
      if (!file) return null;
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
    async importPlan({ fileName, text }) {
      if (!fileName.toLowerCase().endsWith('.json') || fileName.startsWith('.')) {
        throw new ApiFailure(
          'invalid-request',
          `${makeVisible(fileName)} is not a plan file: only .json files can be opened as plans`,
        );
      }
      // A file that could never open in the editor is not copied in: the original stays where it was.
      const check = checkPlanFileText(text);
      if (check.kind !== 'plan' && check.kind !== 'invalid-plan') {
        throw new ApiFailure(
          'invalid-request',
          `${makeVisible(fileName)} cannot be opened: ${check.reasons.join('; ')}`,
        );
      }
      const file = await importInto(workspace, fileName, text);
      const value: unknown = JSON.parse(text);
      options.onPlanFile?.(file);
      const opened = parsePlanText(text);
      return opened.ok ? { path: file, plan: value } : { path: file, plan: value, problems: opened.problems };
    },
    async savePlan({ path: requested, plan }) {
      const check = checkPlan(plan);
      if (!check.ok) return { saved: false, problems: check.problems };
      const file = requested
        ? await access.allowed(requested)
        : await chosenFile(async (dialogs) => {
            const chosen = await dialogs.savePlan(`${check.plan.name.replace(/[^\w.-]+/g, '-')}.json`);
            return chosen && (chosen.endsWith('.json') ? chosen : `${chosen}.json`);
          }, 'savePlan');
      if (!file) return null;
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
  };
}

/** How many "name (n).json" variants an import tries before giving up. */
const IMPORT_ATTEMPTS = 1000;

/** Writes `text` as a new file of the workspace named like `fileName`, never over an existing file. */
async function importInto(workspace: string, fileName: string, text: string): Promise<string> {
  const extension = path.extname(fileName);
  const stem = fileName.slice(0, -extension.length);
  for (let attempt = 1; attempt <= IMPORT_ATTEMPTS; attempt++) {
    const file = path.join(workspace, attempt === 1 ? fileName : `${stem} (${attempt})${extension}`);
    if (!(await staysWithin(workspace, file, { followRoot: true }))) continue;
    if (await writeNewFileAtomic(file, text)) return file;
  }
  throw new ApiFailure(
    'failed',
    `the workspace already holds ${IMPORT_ATTEMPTS} files named like ${makeVisible(fileName)}`,
  );
}

/** What a JSON file of the workspace holds, read within the plan size limit; undefined when it is not a file. */
async function checkFile(file: string): Promise<PlanFileCheck | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return undefined;
    if (stat.size > PLAN_LIMITS.maxBytes) {
      return {
        kind: 'too-large',
        reasons: [`the file is ${stat.size} bytes; plans are limited to ${PLAN_LIMITS.maxBytes}`],
        problemCount: 1,
      };
    }
    return checkPlanFileText(await fs.readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return { kind: 'unreadable', reasons: [`cannot be read (${code ?? 'error'})`], problemCount: 1 };
  }
}

/**
 * What New starts from: one server not yet filled in, no accounts, no sources; the editor's guided start walks
 * through the rest. Not the example, which targets the lab's port 2525 and fails most cases on a fresh machine.
 * Left invalid on purpose: its problems are the fields still to fill in.
 */
export function blankPlan(): unknown {
  return {
    relayTesterPlan: PLAN_VERSION,
    name: '',
    domains: { local: [''], external: '' },
    sender: '',
    accounts: [],
    sources: [],
    servers: [{ name: '', host: '', port: 25, tls: 'auto', relay: { mode: 'only', users: [], hosts: [] } }],
  };
}

async function example(): Promise<unknown> {
  return JSON.parse(await fs.readFile(path.join(projectRoot(), 'plans', 'example.json'), 'utf8'));
}
