// The one contract between the UI and the core: commands (request -> response) and events (pushed). The Electron
// preload, the ipcMain wiring, the browser host's WebSocket and the renderer's client all derive from it, and
// main validates every request against these schemas before a handler sees it.
import { z } from 'zod';
import type { Comparison } from './compare.js';
import type { Matrix } from './matrix.js';
import { parseServerAddress, type PasswordUse } from './passwordBinding.js';
import { PLAN_LIMITS, type PlanCheck, type PlanProblem } from './plan.js';
import type { PlanFileKind } from './planFileCheck.js';
import type { ProbeProgress } from './probe.js';
import type { RunProgress, RunRecord, SourceBinding, VerdictCounts } from './run.js';
import { AUTH_MECHANISMS, TLS_MODES } from './session.js';

const filePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\0'), 'must not contain NUL');
const account = z.string().min(1).max(256);
const empty = z.strictObject({});
/** A server a password is bound to (host:port), normalised as shared/passwordBinding.ts names it. */
const serverAddress = z
  .string()
  .max(300)
  .transform((text, context) => {
    const parsed = parseServerAddress(text);
    if ('address' in parsed) return parsed.address;
    context.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
/** One line of SMTP the user typed: CR, LF or NUL in it could inject commands (checked again by the engine). */
const smtpWord = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !/[\r\n\0]/.test(value), 'must not contain line breaks');
/** The user's answer to a consent question (startRun, startProbe): the ticket and a decision per use asked about. */
const consentAnswer = z.strictObject({
  ticket: z.string().min(1).max(100),
  decisions: z
    .array(z.strictObject({ account, server: serverAddress, decision: z.enum(['once', 'always', 'deny']) }))
    .max(1000),
});
const servers = z
  .array(serverAddress)
  .min(1, 'name at least one server (host:port) the password may be sent to')
  .max(100);

export const commandSchemas = {
  /** Version, face, workspace and the plan to open first (the demo plan against the lab on a first start). */
  getAppInfo: empty,
  /** A new plan from the example. */
  newPlan: empty,
  /** Plan files in the workspace folder (the browser's "Open…"). */
  listPlans: empty,
  /** Opens a plan file; without a path the desktop app shows its file dialog. */
  openPlan: z.strictObject({ path: filePath.optional() }),
  /** Copies a plan file the user picked or dropped (its name and text) into the workspace folder, never over an
   * existing file ("name (2).json"), and opens the copy, with its problems when it is not a valid plan. */
  importPlan: z.strictObject({
    fileName: z
      .string()
      .min(1)
      .max(255)
      .refine((value) => !/[\0-\x1f\x7f/\\]/.test(value), 'must be a file name, without folders or control characters'),
    text: z.string().max(PLAN_LIMITS.maxBytes, `the file is larger than ${PLAN_LIMITS.maxBytes} bytes`),
  }),
  /** Saves a plan (validated first; refused with every problem when invalid). Without a path: Save As dialog. */
  savePlan: z.strictObject({ path: filePath.optional(), plan: z.unknown() }),
  /** Validates a plan and, when valid, derives its matrix for this machine's source addresses. */
  inspectPlan: z.strictObject({ plan: z.unknown() }),
  /** Keeps an account's password for runs (safeStorage where available, else memory for this session only), bound
   * to the servers it may be sent to: it is sent nowhere else without the user's consent. */
  setPassword: z.strictObject({ account, password: z.string().max(1024), servers }),
  /** Replaces the servers a kept password may be sent to. */
  bindPassword: z.strictObject({ account, servers }),
  forgetPassword: z.strictObject({ account }),
  /** Which of these accounts have a password, the servers each is bound to, and where passwords are kept. */
  passwordStatus: z.strictObject({ accounts: z.array(account).max(1000) }),
  /** Starts a run; progress arrives as `runProgress` events. When the run would send a kept password to a server
   * it is not bound to, nothing runs and the answer asks for consent; the run is started again with the user's
   * decision for every use asked about, and the ticket of that question (used once). */
  startRun: z.strictObject({
    plan: z.unknown(),
    planPath: filePath.optional(),
    consent: z
      .strictObject({
        ticket: z.string().min(1).max(100),
        decisions: z
          .array(z.strictObject({ account, server: serverAddress, decision: z.enum(['once', 'always', 'deny']) }))
          .max(1000),
      })
      .optional(),
  }),
  cancelRun: z.strictObject({ runId: z.string().min(1).max(100) }),
  /** Starts a quick probe: one dialog, as `relay-tester probe`; progress arrives as `probeProgress` events. The
   * password is the one typed for this probe only (never kept), else the account's kept password when it is bound
   * to host:port (or the lab's for the lab's servers); a kept password bound elsewhere is asked about first, as for
   * runs. A vantage point is looked up in `plan`, whose file (`planPath`) its key files are relative to. */
  startProbe: z.strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or address'),
    port: z.number().int().min(1).max(65535),
    tls: z.enum(TLS_MODES),
    certificate: z
      .strictObject({
        pinSha256: z.string().min(1).max(200).optional(),
        allowInvalid: z.boolean().optional(),
      })
      .optional(),
    source: smtpWord(100).optional(),
    vantage: z.string().min(1).max(200).optional(),
    plan: z.unknown().optional(),
    planPath: filePath.optional(),
    account: account.optional(),
    mechanism: z.enum(AUTH_MECHANISMS).optional(),
    password: z.string().min(1).max(1024).optional(),
    helo: smtpWord(253).optional(),
    from: smtpWord(320),
    to: z.array(smtpWord(320).min(1)).min(1, 'name at least one recipient').max(20),
    timeoutSeconds: z.number().positive().max(600).optional(),
    consent: consentAnswer.optional(),
  }),
  cancelProbe: z.strictObject({ probeId: z.string().min(1).max(100) }),
  /** Saved runs of a plan, newest first. */
  listRuns: z.strictObject({ planPath: filePath.optional() }),
  loadRun: z.strictObject({ file: filePath }),
  compareRuns: z.strictObject({ before: filePath, after: filePath }),
  /** Deletes a saved run: only a run file directly in the runs folder of that plan (the workspace's `runs` for an
   * unsaved plan). */
  deleteRun: z.strictObject({ file: filePath, planPath: filePath.optional() }),
  /** Labels a saved run of that plan; an empty label removes it. Labels are kept beside the runs, in the runs
   * folder's `.labels.json`, so a run file stays exactly as it was recorded. */
  labelRun: z.strictObject({ file: filePath, planPath: filePath.optional(), label: z.string().max(1000) }),
  /** Reads the SSH host key a vantage point shows, without authenticating or trusting it (the editor's "fetch and
   * confirm": the user compares the fingerprint out of band before it goes into the plan). */
  fetchHostKey: z.strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or address'),
    port: z.number().int().min(1).max(65535),
  }),
  /** Writes a report of a run (compared with an earlier run when given) as HTML or PDF; without a path the desktop
   * app asks where, the browser host writes into the workspace's reports folder. */
  exportReport: z.strictObject({
    runFile: filePath,
    format: z.enum(['html', 'pdf']),
    compareWith: filePath.optional(),
    path: filePath.optional(),
  }),
  /** A report of a run (compared with an earlier run when given) as bytes for the browser to offer as a download. */
  downloadReport: z.strictObject({
    runFile: filePath,
    format: z.enum(['html', 'pdf']),
    compareWith: filePath.optional(),
  }),
  /** Shows a file the app wrote (a report) in the system's file manager: the desktop app only. */
  revealFile: z.strictObject({ path: filePath }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];
export type CommandRequest<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;

/** A plan as the UI edits it: the raw JSON object (possibly invalid) and where it lives. */
export interface PlanDocument {
  path?: string;
  plan: unknown;
  /** Set for the built-in demo plan, whose lab passwords the core supplies itself. */
  demo?: boolean;
}

export interface LabInfo {
  preset: string;
  servers: { name: string; host: string; port: number }[];
}

export interface AppInfo {
  version: string;
  face: 'electron' | 'browser';
  workspace: string;
  platform: string;
  lab?: LabInfo;
  startPlan: PlanDocument;
  passwordStorage: PasswordStorage;
}

export interface PasswordStorage {
  kind: 'safe-storage' | 'memory';
  /** Shown to the user, e.g. why passwords are kept only for this session. */
  note: string;
}

/** An account with a kept password and the servers it may be sent to (never the password itself). */
export interface PasswordBinding {
  account: string;
  servers: string[];
}

/** A run that would send kept passwords to servers they are not bound to: ask, then start it again. */
export interface ConsentQuestion {
  ticket: string;
  uses: PasswordUse[];
}

/** A JSON file of the workspace folder, as "Open…" lists it: a plan that opens, or why it cannot. */
export interface PlanListing {
  path: string;
  /** The plan's name; for a file that is not a valid plan, its file name. */
  name: string;
  /** The file's name in the workspace folder. */
  fileName?: string;
  /** "plan" when it opens as a valid plan (absent in listings from before kinds existed). */
  kind?: PlanFileKind;
  /** Why it is not a valid plan: its first problems, in plain words, made visible. */
  reasons?: string[];
  /** How many problems it has in all (reasons lists the first few). */
  problemCount?: number;
}

export interface RunListing {
  file: string;
  planName: string;
  startedAt: string;
  cancelled: boolean;
  summary: VerdictCounts;
  /** The run's headline (shared/coverage.ts): how much was decided and what was found. */
  headline: string;
  /** The headline's colour, as the run summary gives it (headlineTone). */
  tone: 'good' | 'fail' | 'unsure';
  /** From its start to its end. */
  durationMs: number;
  /** The user's label for the run (untrusted text: made visible when it is read). */
  label?: string;
}

export interface CommandResponses {
  getAppInfo: AppInfo;
  newPlan: PlanDocument;
  listPlans: PlanListing[];
  openPlan: (PlanDocument & { problems?: PlanProblem[] }) | null;
  importPlan: PlanDocument & { path: string; problems?: PlanProblem[] };
  savePlan: { saved: true; path: string } | { saved: false; problems: PlanProblem[] } | null;
  inspectPlan: { check: PlanCheck; matrix?: Matrix; sources?: SourceBinding[] };
  setPassword: PasswordStorage;
  bindPassword: { bound: boolean };
  forgetPassword: { forgotten: boolean };
  /** `known`: accounts with a password anywhere (kept, or the lab's); `lab`: accounts whose lab-only password the
   * built-in lab supplies, and the lab's servers, the only ones it is sent to. */
  passwordStatus: {
    known: string[];
    bindings: PasswordBinding[];
    lab?: { accounts: string[]; servers: string[] };
    storage: PasswordStorage;
  };
  startRun: { runId: string } | { problems: PlanProblem[] } | { consentNeeded: ConsentQuestion };
  cancelRun: { cancelled: boolean };
  startProbe: { probeId: string } | { consentNeeded: ConsentQuestion };
  cancelProbe: { cancelled: boolean };
  listRuns: RunListing[];
  loadRun: RunRecord;
  compareRuns: Comparison;
  deleteRun: { deleted: true };
  labelRun: { label?: string };
  exportReport: { path: string } | null;
  fetchHostKey: { sha256: string; type: string };
  /** The report file's suggested name, its media type and its bytes in base64. */
  downloadReport: { fileName: string; mimeType: string; base64: string };
  revealFile: { shown: boolean };
}

export type CommandResponse<K extends CommandName> = CommandResponses[K];

/** Menu actions of the desktop app, forwarded to the renderer. */
export const MENU_ACTIONS = ['new', 'open', 'save', 'save-as', 'run', 'cancel', 'export'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

export interface EventPayloads {
  /** Progress of runs, batched (at most one message per 16 ms) so a busy run cannot flood the UI. A run ends with
   * `run-finished` (saved, with its file) or `run-failed` (it could not finish or its file could not be written:
   * the message says why, and the results come along when there are any). */
  runProgress: RunProgress[];
  /** Progress of quick probes, batched like runProgress; a probe ends with `probe-finished` or `probe-failed`. */
  probeProgress: ProbeProgress[];
  menu: MenuAction;
  /** The desktop app's "Open Recent" menu asks the page to open this plan (after its unsaved-changes check). */
  openRecent: { path: string };
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = ['runProgress', 'probeProgress', 'menu', 'openRecent'];

/** The API as the renderer sees it: one named method per command, and event subscriptions that unsubscribe. */
export type RelayTesterApi = {
  [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandResponse<K>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** Errors cross the boundary as data: a message for people and a code for code. */
export interface ApiError {
  code: 'invalid-request' | 'not-found' | 'forbidden' | 'failed';
  message: string;
}

export type Envelope =
  | { kind: 'request'; id: number; command: CommandName; payload: unknown }
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: ApiError }
  | { kind: 'event'; event: EventName; payload: unknown };

export type ValidatedRequest = { ok: true; command: CommandName; payload: unknown } | { ok: false; error: ApiError };

/** Checks a command name and payload from the untrusted side; the error names the field. */
export function validateRequest(command: unknown, payload: unknown): ValidatedRequest {
  if (typeof command !== 'string' || !Object.hasOwn(commandSchemas, command)) {
    return { ok: false, error: { code: 'invalid-request', message: `unknown command ${JSON.stringify(command)}` } };
  }
  const name = command as CommandName;
  const parsed = commandSchemas[name].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'request';
    return {
      ok: false,
      error: { code: 'invalid-request', message: `${name}: ${where}: ${issue?.message ?? 'invalid'}` },
    };
  }
  return { ok: true, command: name, payload: parsed.data };
}
