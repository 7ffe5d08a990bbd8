// The plan commands: the start plan, the blank plan of New, listing, opening and saving plan files, and
// inspecting a plan as it is edited.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppInfo, PlanDocument } from '../../shared/ipc.js';
import { checkPlan, parsePlanText, PLAN_VERSION, type Plan } from '../../shared/plan.js';
import { prepareRun } from '../runner.js';
import { readPlanFile, writePlanFile } from '../store/planFile.js';
import { staysWithin } from '../store/workspacePath.js';
import { projectRoot, toolVersion } from '../version.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { Dialogs, ServiceOptions } from './service.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type PlanHandlers = Pick<
  Handlers,
  'getAppInfo' | 'newPlan' | 'listPlans' | 'openPlan' | 'savePlan' | 'inspectPlan'
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
      const names = await fs.readdir(workspace).catch(() => [] as string[]);
      const plans: { path: string; name: string }[] = [];
      for (const name of names.filter((entry) => entry.endsWith('.json')).sort()) {
        if (!(await staysWithin(workspace, path.join(workspace, name), { followRoot: true }))) continue;
        const check = await readPlanFile(path.join(workspace, name));
        if (check.ok) plans.push({ path: path.join(workspace, name), name: check.plan.name });
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
