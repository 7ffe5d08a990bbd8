// The window's state in one place: the open document, the tab, the selected case, the run shown from the history,
// this window's live run, the open dialog and the latest notice. Pure: an action in, a new state out. The hooks
// beside this file do the I/O and dispatch what happened; App reads the state and lays it out.
import type { AppInfo, PlanDocument } from '../../shared/ipc.js';
import type { PlanProblem } from '../../shared/plan.js';
import type { RunProgress } from '../../shared/run.js';
import { applyProgress, startedCases, startingRun, type RunOrigin, type RunState } from '../run/runState.js';
import type { Notice } from './NoticeBar.js';
import type { Tab } from './ViewTabs.js';

export interface OpenDocument {
  path?: string;
  plan: unknown;
  demo: boolean;
  /** The plan differs from `savedText` (what was opened or last saved). */
  dirty: boolean;
  savedText: string;
  /** Which plan this is (changes on New and Open). */
  key: number;
  /** Which edit of it (changes on every change). */
  revision: number;
}

export type PlanDialog = 'open' | 'save-as';

export interface AppState {
  info?: AppInfo;
  /** Why the core could not be reached at start. */
  startError?: string;
  doc?: OpenDocument;
  /** The key the next loaded document gets. */
  nextKey: number;
  dialog?: PlanDialog;
  tab: Tab;
  /** The case whose transcript is shown. */
  selectedId?: string;
  /** Whether the selection follows the running case. */
  follow: boolean;
  /** A saved run shown in the matrix instead of the current plan's. */
  historyRun?: RunState;
  /** The open plan's newest saved run, read when the plan was opened: the matrix shows it (as "last run") until
   * something else is shown. Its documentKey is the plan's. */
  latestRun?: RunState;
  /** Changes when a run was saved: the history list (and the passwords' servers) are read again. */
  historyKey: number;
  /** This window's run (starting, running, or the last one finished). */
  run?: RunState;
  notice?: Notice;
}

export type AppAction =
  | { type: 'app-started'; info: AppInfo }
  | { type: 'app-unreachable'; message: string }
  | { type: 'document-loaded'; document: PlanDocument & { problems?: PlanProblem[] }; showPlan?: boolean }
  | { type: 'plan-edited'; change: (plan: unknown) => unknown }
  | { type: 'document-saved'; key: number; revision: number; path: string; plan: unknown }
  | { type: 'dialog'; dialog: PlanDialog | undefined }
  | { type: 'tab'; tab: Tab }
  | { type: 'notice'; text: string; kind: Notice['kind']; reveal?: string }
  | { type: 'notice-dismissed' }
  | { type: 'case-chosen'; caseId: string }
  | { type: 'case-opened'; caseId: string }
  | { type: 'follow'; follow: boolean }
  | { type: 'history-shown'; run: RunState }
  | { type: 'history-hidden' }
  | { type: 'latest-run-loaded'; documentKey: number; run: RunState }
  | { type: 'run-deleted'; file: string }
  | { type: 'run-starting'; origin: RunOrigin }
  | { type: 'run-started'; runId: string; origin: RunOrigin }
  | { type: 'run-not-started' }
  | { type: 'run-progress'; runId: string; batch: readonly RunProgress[] }
  | { type: 'cancel-requested' }
  | { type: 'run-saved' };

export const initialAppState: AppState = { nextKey: 1, tab: 'matrix', follow: true, historyKey: 0 };

export function notify(text: string, kind: Notice['kind'] = 'info'): AppAction {
  return { type: 'notice', text, kind };
}

export function reportError(text: string): AppAction {
  return notify(text, 'error');
}

/** The live run is going (not yet finished). */
export function isRunning(state: AppState): boolean {
  return state.run !== undefined && state.run.phase !== 'finished';
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'app-started':
      return appReducer({ ...state, info: action.info }, { type: 'document-loaded', document: action.info.startPlan });
    case 'app-unreachable':
      return { ...state, startError: action.message };
    case 'document-loaded': {
      const { document } = action;
      const doc: OpenDocument = {
        plan: document.plan,
        demo: document.demo === true,
        dirty: false,
        savedText: JSON.stringify(document.plan) ?? '',
        key: state.nextKey,
        revision: 0,
      };
      if (document.path) doc.path = document.path;
      // Another plan: nothing shown of the previous one stays; a plan with problems (or a new one) is shown.
      const showPlan = action.showPlan === true || (document.problems?.length ?? 0) > 0;
      return {
        ...state,
        doc,
        nextKey: state.nextKey + 1,
        historyRun: undefined,
        latestRun: undefined,
        selectedId: undefined,
        tab: showPlan ? 'plan' : state.tab,
      };
    }
    case 'plan-edited': {
      const current = state.doc;
      if (!current) return state;
      const plan = action.change(current.plan);
      // Plans are small (at most 1 MB): comparing the text makes an edit that is undone again count as no change.
      const doc = {
        ...current,
        plan,
        dirty: JSON.stringify(plan) !== current.savedText,
        revision: current.revision + 1,
      };
      return { ...state, doc };
    }
    case 'document-saved': {
      const current = state.doc;
      if (!current || current.key !== action.key) return state;
      const savedText = JSON.stringify(action.plan) ?? '';
      // An edit made while saving keeps the document dirty.
      const dirty = current.revision === action.revision ? false : JSON.stringify(current.plan) !== savedText;
      return { ...state, doc: { ...current, path: action.path, savedText, dirty } };
    }
    case 'dialog':
      return { ...state, dialog: action.dialog };
    case 'tab':
      return { ...state, tab: action.tab };
    case 'notice':
      return {
        ...state,
        notice: {
          text: action.text,
          kind: action.kind,
          serial: (state.notice?.serial ?? 0) + 1,
          ...(action.reveal ? { reveal: action.reveal } : {}),
        },
      };
    case 'notice-dismissed':
      return { ...state, notice: undefined };
    case 'case-chosen':
      // Chosen by hand during a run means "stay here".
      return { ...state, selectedId: action.caseId, follow: state.follow && !isRunning(state) };
    case 'case-opened':
      return { ...state, selectedId: action.caseId };
    case 'follow':
      return { ...state, follow: action.follow };
    case 'history-shown':
      return { ...state, historyRun: action.run, selectedId: undefined, tab: 'matrix' };
    case 'history-hidden':
      return { ...state, historyRun: undefined };
    case 'latest-run-loaded':
      // Only for the plan it was read for, and never over something the user chose to see meanwhile.
      if (state.doc?.key !== action.documentKey) return state;
      return { ...state, latestRun: { ...action.run, documentKey: action.documentKey } };
    case 'run-deleted':
      return {
        ...state,
        historyRun: state.historyRun?.file === action.file ? undefined : state.historyRun,
        latestRun: state.latestRun?.file === action.file ? undefined : state.latestRun,
      };
    case 'run-starting':
      return { ...state, historyRun: undefined, tab: 'matrix', run: startingRun('', action.origin) };
    case 'run-started':
      return { ...state, run: startingRun(action.runId, action.origin) };
    case 'run-not-started':
      return { ...state, run: undefined };
    case 'run-progress': {
      // Only this window's run moves (another window's run, or an earlier one, is not shown here).
      if (!state.run || state.run.runId !== action.runId) return state;
      const run = applyProgress(state.run, action.batch);
      // "Follow the running test" moves to the last case that started in this batch.
      const started = startedCases(action.runId, action.batch).at(-1);
      const selectedId = started !== undefined && state.follow ? started : state.selectedId;
      return run === state.run && selectedId === state.selectedId ? state : { ...state, run, selectedId };
    }
    case 'cancel-requested':
      return state.run ? { ...state, run: { ...state.run, cancelRequested: true } } : state;
    case 'run-saved':
      return { ...state, historyKey: state.historyKey + 1 };
  }
}
