// The service behind the IPC contract: one implementation of every command, shared by the Electron main process
// and the browser host. Each concern lives in its own module (plans, passwords, runs, reports); they share one rule
// for which files may be reached (workspaceAccess.ts): inside the workspace folder or where the user pointed a dialog.
import type { AppInfo, EventPayloads, LabInfo } from '../../shared/ipc.js';
import type { Plan } from '../../shared/plan.js';
import type { Handlers } from './dispatch.js';
import type { PasswordStore } from './passwordStore.js';
import { createPasswordService } from './passwordService.js';
import { planHandlers } from './planService.js';
import { createProbeService } from './probeService.js';
import { reportHandlers } from './reportService.js';
import { createRunService } from './runService.js';
import { fetchHostKeyCommand } from './fetchHostKeyCommand.js';
import { createWorkspaceAccess } from './workspaceAccess.js';

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

export interface ServiceOptions {
  face: AppInfo['face'];
  workspace: string;
  passwords: PasswordStore;
  emit: <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) => void;
  dialogs?: Dialogs;
  lab?: LabLink;
  /** Prints report HTML to PDF: Electron's printToPDF in the desktop app, headless Chromium elsewhere. */
  printPdf?: (html: string) => Promise<Uint8Array>;
  /** Shows a file in the system's file manager (the desktop app's "Show in folder"). */
  reveal?: (file: string) => void;
  /** Told of every plan file opened or saved (the desktop app's recent plans). */
  onPlanFile?: (file: string) => void;
}

export interface Service {
  handlers: Handlers;
  /** Lets the UI reach a file the user picked outside the workspace (e.g. from the recent plans menu). */
  grant(file: string): void;
  /** Cancels every run and probe and waits for them (runs save their partial results). */
  close(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const access = createWorkspaceAccess(options.workspace);
  const passwords = createPasswordService(options);
  const runs = createRunService(access, passwords, options.emit, options.passwords);
  const probes = createProbeService(access, passwords, options.emit, options.passwords);
  const handlers: Handlers = {
    ...planHandlers(access, options),
    ...passwords.handlers,
    ...runs.handlers,
    ...probes.handlers,
    ...reportHandlers(access, options),
    fetchHostKey: fetchHostKeyCommand,
  };
  return {
    handlers,
    grant: (file) => access.grant(file),
    close: async () => {
      await Promise.all([runs.close(), probes.close()]);
    },
  };
}
