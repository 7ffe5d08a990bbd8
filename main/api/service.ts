// The service behind the IPC contract: one implementation of every command, shared by the Electron main process
// and the browser host. Files are reached only inside the workspace folder or where the user pointed a dialog.
import { fetchHostKeyCommand } from './fetchHostKeyCommand.js';
import { vantageSecretsFor } from './vantageSecrets.js';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareRuns } from '../../shared/compare.js';
import type { AppInfo, CommandResponses, EventPayloads, LabInfo, PasswordBinding, PlanDocument, RunListing } from '../../shared/ipc.js';
import type { TestCase } from '../../shared/matrix.js';
import { deniedReason, notAllowedReason, serverAddress, type ConsentDecision, type PasswordUse } from '../../shared/passwordBinding.js';
import { checkPlan, parsePlanText, type Plan } from '../../shared/plan.js';
import { headline } from '../../shared/coverage.js';
import type { RunRecord } from '../../shared/run.js';
import { compareReportHtml, runReportHtml } from '../report/htmlReport.js';
import { htmlToPdfBytes } from '../report/pdf.js';
import { prepareRun, runPlan, type PasswordLookup } from '../runner.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { staysWithin } from '../store/workspacePath.js';
import { planHash, readPlanFile, writePlanFile } from '../store/planFile.js';
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

/** The built-in lab as the service needs it: what runs, the demo plan against it and its lab-only passwords,
 * which are sent only to the lab's own servers (`info.servers`). */
export interface LabLink {
  info: LabInfo;
  demoPlan: Plan;
  passwords: ReadonlyMap<string, string>;
}

/** How many consent questions may wait for their answer, and for how long; each ticket is answered once. */
const CONSENT_TICKETS = 20;
const CONSENT_TTL_MS = 15 * 60_000;

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

  /**
   * `file` resolved against the workspace, if it may be used: inside the workspace, or a file the user picked in
   * a dialog, or inside such a plan's runs folder; in every case without a symbolic link leading out (issue 10).
   */
  async function allowed(file: string, extensions: readonly string[] | null = ['.json']): Promise<string> {
    const resolved = path.resolve(workspace, file);
    if (extensions && !extensions.includes(path.extname(resolved))) {
      throw new ApiFailure('forbidden', `${file}: only ${extensions.join(' or ')} files may be used here`);
    }
    if (granted.has(resolved)) return resolved;
    if (await staysWithin(workspace, resolved, { followRoot: true })) return resolved;
    for (const plan of granted) {
      if (await staysWithin(defaultRunFolder(plan), resolved, { followRoot: false })) return resolved;
    }
    throw new ApiFailure('forbidden', `${file} is outside the workspace ${workspace} (or a symbolic link leads out of it); open it with the file dialog`);
  }

  /** A folder the service writes into or lists (runs, reports), under the same rule as files. */
  function allowedFolder(folder: string): Promise<string> {
    return allowed(folder, null);
  }

  async function example(): Promise<unknown> {
    return JSON.parse(await fs.readFile(path.join(projectRoot(), 'plans', 'example.json'), 'utf8'));
  }

  const consentQuestions = new Map<string, { planHash: string; uses: PasswordUse[]; expires: number }>();
  const labServers = new Set(options.lab?.info.servers.map((server) => serverAddress(server.host, server.port)) ?? []);

  /** The lab's password of an account, only for the lab's own servers: the same names may be real elsewhere. */
  function labPassword(account: string, server: string): string | undefined {
    return labServers.has(server) ? options.lab?.passwords.get(account) : undefined;
  }

  /** Each kept password the cases would send to a server it is not bound to. */
  function unboundUses(plan: Plan, cases: readonly TestCase[]): PasswordUse[] {
    const uses = new Map<string, PasswordUse>();
    for (const testCase of cases) {
      if (!testCase.account || testCase.wrongPassword || testCase.skip || testCase.unrunnable) continue;
      const planServer = plan.servers.find((candidate) => candidate.name === testCase.server);
      if (!planServer) continue;
      const server = serverAddress(planServer.host, planServer.port);
      if (labPassword(testCase.account, server) !== undefined) continue;
      const kept = options.passwords.get(testCase.account);
      if (!kept || kept.servers.includes(server)) continue;
      uses.set(useKey(testCase.account, server), { account: testCase.account, server });
    }
    return [...uses.values()];
  }

  function askConsent(plan: Plan, uses: PasswordUse[]) {
    const now = Date.now();
    for (const [ticket, question] of consentQuestions) if (question.expires < now) consentQuestions.delete(ticket);
    while (consentQuestions.size >= CONSENT_TICKETS) consentQuestions.delete(consentQuestions.keys().next().value!);
    const ticket = randomUUID();
    consentQuestions.set(ticket, { planHash: planHash(plan), uses, expires: now + CONSENT_TTL_MS });
    return { consentNeeded: { ticket, uses } };
  }

  /** Checks an answer against the question main asked for this very plan: every use answered, nothing else. */
  function acceptConsent(plan: Plan, uses: PasswordUse[], consent: { ticket: string; decisions: { account: string; server: string; decision: ConsentDecision }[] }) {
    const question = consentQuestions.get(consent.ticket);
    consentQuestions.delete(consent.ticket);
    const asked = new Set(uses.map((use) => useKey(use.account, use.server)));
    const answered = new Map(consent.decisions.map((item) => [useKey(item.account, item.server), item.decision]));
    const matches =
      question !== undefined &&
      question.expires >= Date.now() &&
      question.planHash === planHash(plan) &&
      answered.size === consent.decisions.length &&
      answered.size === asked.size &&
      [...asked].every((key) => answered.has(key)) &&
      question.uses.length === asked.size &&
      question.uses.every((use) => asked.has(useKey(use.account, use.server)));
    if (!matches) {
      throw new ApiFailure('invalid-request', 'the answer about sending passwords does not match what this run would send; start the run again');
    }
    return answered;
  }

  /** The passwords a run may use: each kept one only for its servers (and those allowed for this run). */
  async function passwordLookup(plan: Plan, answered: ReadonlyMap<string, ConsentDecision>): Promise<PasswordLookup> {
    for (const [key, decision] of answered) {
      if (decision !== 'always') continue;
      const { account, server } = JSON.parse(key) as PasswordUse;
      const kept = options.passwords.get(account);
      if (kept) await options.passwords.bind(account, [...kept.servers, server]);
    }
    // A snapshot: a password changed while the run goes does not change what this run sends.
    const kept = new Map(plan.accounts.map((account) => [account, options.passwords.get(account)]));
    return (account, { host, port }) => {
      const server = serverAddress(host, port);
      const lab = labPassword(account, server);
      if (lab !== undefined) return { password: lab };
      const entry = kept.get(account);
      if (!entry) {
        const labOnly = options.lab?.passwords.has(account) ? '; the lab’s password is only for the lab’s servers' : '';
        return { refused: `no password for ${account}: set it in Passwords (Plan tab)${labOnly}` };
      }
      const decision = answered.get(useKey(account, server));
      if (entry.servers.includes(server) || decision === 'once' || decision === 'always') return { password: entry.password };
      return { refused: decision === 'deny' ? deniedReason(account, server) : notAllowedReason(account, server) };
    };
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
        if (!(await staysWithin(workspace, path.join(workspace, name), { followRoot: true }))) continue;
        const check = await readPlanFile(path.join(workspace, name));
        if (check.ok) plans.push({ path: path.join(workspace, name), name: check.plan.name });
      }
      return plans;
    },
    async openPlan({ path: requested }) {
      let file: string;
      if (requested) file = await allowed(requested);
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
      if (requested) file = await allowed(requested);
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
    async setPassword({ account, password, servers }) {
      await options.passwords.set(account, password, servers);
      return options.passwords.storage;
    },
    async bindPassword({ account, servers }) {
      return { bound: await options.passwords.bind(account, servers) };
    },
    async forgetPassword({ account }) {
      return { forgotten: await options.passwords.forget(account) };
    },
    async passwordStatus({ accounts }) {
      const bindings: PasswordBinding[] = [];
      for (const account of new Set(accounts)) {
        const kept = options.passwords.get(account);
        if (kept) bindings.push({ account, servers: [...kept.servers] });
      }
      const labAccounts = accounts.filter((account) => options.lab?.passwords.has(account));
      const known = accounts.filter((account) => labAccounts.includes(account) || bindings.some((binding) => binding.account === account));
      const status: CommandResponses['passwordStatus'] = { known: [...new Set(known)], bindings, storage: options.passwords.storage };
      if (options.lab) status.lab = { accounts: [...new Set(labAccounts)], servers: [...labServers] };
      return status;
    },
    async startRun({ plan, planPath, consent }) {
      const check = checkPlan(plan);
      if (!check.ok) return { problems: check.problems };
      const folder = await allowedFolder(planPath ? defaultRunFolder(await allowed(planPath)) : path.join(workspace, 'runs'));
      const { sources, matrix } = await prepareRun(check.plan);
      const uses = unboundUses(check.plan, matrix.cases);
      if (uses.length > 0 && !consent) return askConsent(check.plan, uses);
      const answered = uses.length > 0 && consent ? acceptConsent(check.plan, uses, consent) : new Map<string, ConsentDecision>();
      const runId = randomUUID();
      const controller = new AbortController();
      let finished: RunRecord | undefined;
      const done = runPlan(check.plan, {
        runId,
        sources,
        passwords: await passwordLookup(check.plan, answered),
        // Vantage points' key files are relative to the plan; their secrets come from the store, bound to them.
        planDir: planPath ? path.dirname(await allowed(planPath)) : workspace,
        vantageSecrets: vantageSecretsFor(check.plan, options.passwords),
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
      const folder = await allowedFolder(planPath ? defaultRunFolder(await allowed(planPath)) : path.join(workspace, 'runs'));
      const listings: RunListing[] = [];
      for (const file of await listRuns(folder)) {
        try {
          await allowed(file); // a link among the runs that leads out of their folder is not followed
          const run = await readRunFile(file);
          listings.push({ file, planName: run.planName, startedAt: run.startedAt, cancelled: run.cancelled, summary: run.summary, headline: headline(run) });
        } catch {
          // A file that is not a run is not listed.
        }
      }
      return listings;
    },
    async loadRun({ file }) {
      return readRunOrFail(await allowed(file));
    },
    async compareRuns({ before, after }) {
      const [earlier, later] = await Promise.all([readRunOrFail(await allowed(before)), readRunOrFail(await allowed(after))]);
      return compareRuns(earlier, later);
    },
    fetchHostKey: fetchHostKeyCommand,
    async exportReport({ runFile, format, compareWith, path: requested }) {
      // Where the report may go is checked before anything is read.
      const target = requested ? await allowed(requested, [`.${format}`]) : undefined;
      const folder = requested || options.dialogs ? undefined : await allowedFolder(path.join(workspace, 'reports'));
      const run = await readRunOrFail(await allowed(runFile));
      const earlier = compareWith ? await readRunOrFail(await allowed(compareWith)) : undefined;
      const name = `${fileNamePart(run.planName)}-${run.startedAt.replace(/[:.]/g, '-')}${earlier ? '-compared' : ''}.${format}`;
      let file: string;
      if (target) file = target;
      else if (folder) file = path.join(folder, name);
      else {
        const chosen = await options.dialogs!.saveReport(name, format);
        if (!chosen) return null;
        file = path.resolve(chosen);
      }
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

function useKey(account: string, server: string): string {
  return JSON.stringify({ account, server });
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
