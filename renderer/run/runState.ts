// A run as the window shows it, built from the core's RunProgress messages (live) or from a saved RunRecord
// (history). Pure: one batch of progress in, a new state out.
import type { TestCase } from '../../shared/matrix.js';
import {
  caseRan,
  countVerdicts,
  type CaseResult,
  type RunProgress,
  type RunRecord,
  type RunSelection,
  type SourceBinding,
  type VerdictCounts,
} from '../../shared/run.js';
import type { TranscriptEvent } from '../../shared/session.js';
import type { Verdict } from '../../shared/verdict.js';

export type RowStatus = 'queued' | 'running' | Verdict;

export interface CaseProgress {
  status: RowStatus;
  local?: string;
  events: TranscriptEvent[];
  result?: CaseResult;
}

export interface RunState {
  runId: string;
  /** Where the run comes from: started in this window, or loaded from a saved run file. */
  origin: 'live' | 'history';
  phase: 'starting' | 'running' | 'finished';
  /** The editor revision the run was started from; results are shown on the plan's rows while it is unchanged. */
  revision?: number;
  cases: TestCase[];
  sources: SourceBinding[];
  progress: Record<string, CaseProgress>;
  done: number;
  total: number;
  record?: RunRecord;
  cancelRequested?: boolean;
  /** Why the run failed (could not finish or could not be saved); its results were not written. */
  failure?: string;
  /** The run file: where a history run was loaded from, or where a live run was saved once it is known. */
  file?: string;
  /** The plan file a live run was started from (its runs are saved beside it). */
  planPath?: string;
  /** Which open document a live run belongs to (App's document key). */
  documentKey?: number;
  /** A partial run ("run this case", "re-run failed"): the cases chosen, of how many the plan has. */
  selection?: RunSelection;
}

/** Where a live run comes from: the document, its edit and its file. */
export interface RunOrigin {
  documentKey: number;
  revision: number;
  planPath?: string;
}

export function startingRun(runId: string, origin: RunOrigin): RunState {
  const state: RunState = {
    runId,
    origin: 'live',
    phase: 'starting',
    revision: origin.revision,
    documentKey: origin.documentKey,
    cases: [],
    sources: [],
    progress: {},
    done: 0,
    total: 0,
  };
  if (origin.planPath) state.planPath = origin.planPath;
  return state;
}

function finishedProgress(result: CaseResult): CaseProgress {
  const progress: CaseProgress = { status: result.verdict, events: result.transcript, result };
  if (result.local) progress.local = result.local;
  return progress;
}

/** Applies one batch of progress messages of this run (others are ignored). */
export function applyProgress(state: RunState, batch: readonly RunProgress[]): RunState {
  let next = state;
  let progress = state.progress;
  const own = (item: RunProgress) => item.runId === state.runId;
  const copyOnce = () => {
    if (progress === state.progress) progress = { ...state.progress };
  };
  for (const item of batch) {
    if (!own(item)) continue;
    switch (item.type) {
      case 'run-started': {
        copyOnce();
        for (const testCase of item.cases) progress[testCase.id] ??= { status: 'queued', events: [] };
        next = { ...next, phase: 'running', cases: item.cases, sources: item.sources, total: item.cases.length };
        if (item.selection) next.selection = item.selection;
        break;
      }
      case 'case-started': {
        copyOnce();
        const previous = progress[item.caseId];
        const started: CaseProgress = { status: 'running', events: previous?.events ?? [] };
        if (item.local) started.local = item.local;
        progress[item.caseId] = started;
        break;
      }
      case 'case-event': {
        copyOnce();
        const previous = progress[item.caseId] ?? { status: 'running', events: [] };
        progress[item.caseId] = { ...previous, events: [...previous.events, item.event] };
        break;
      }
      case 'case-finished': {
        copyOnce();
        progress[item.result.case.id] = finishedProgress(item.result);
        next = { ...next, done: item.done, total: item.total };
        break;
      }
      case 'run-finished': {
        copyOnce();
        for (const result of item.run.cases) progress[result.case.id] = finishedProgress(result);
        next = {
          ...next,
          phase: 'finished',
          record: item.run,
          file: item.file ?? next.file,
          done: ranCount(item.run),
          total: item.run.cases.length,
        };
        break;
      }
      case 'run-failed': {
        next = { ...next, phase: 'finished', failure: item.message };
        if (item.run) {
          copyOnce();
          for (const result of item.run.cases) progress[result.case.id] = finishedProgress(result);
          next = { ...next, record: item.run, done: ranCount(item.run), total: item.run.cases.length };
        }
        break;
      }
    }
  }
  return progress === state.progress && next === state ? state : { ...next, progress };
}

/** The ids of cases that started in this batch, last one last (the one "follow" moves to). */
export function startedCases(runId: string, batch: readonly RunProgress[]): string[] {
  return batch
    .filter((item) => item.type === 'case-started' && item.runId === runId)
    .map((item) => (item as { caseId: string }).caseId);
}

/** Cases that ran to a verdict: a cancelled run's progress shows how far it really got. */
function ranCount(record: RunRecord): number {
  return record.cases.filter(caseRan).length;
}

export function runFromRecord(record: RunRecord, file?: string): RunState {
  const progress: Record<string, CaseProgress> = {};
  for (const result of record.cases) progress[result.case.id] = finishedProgress(result);
  const state: RunState = {
    runId: record.id,
    origin: 'history',
    phase: 'finished',
    cases: record.cases.map((result) => result.case),
    sources: record.sources,
    progress,
    done: ranCount(record),
    total: record.cases.length,
    record,
  };
  if (record.selection) state.selection = record.selection;
  if (file) state.file = file;
  return state;
}

/** Results finished so far, for the counts and the headline while a run is going. */
export function finishedResults(state: RunState): CaseResult[] {
  if (state.record) return state.record.cases;
  return Object.values(state.progress)
    .map((progress) => progress.result)
    .filter((result): result is CaseResult => result !== undefined);
}

export function runCounts(state: RunState): VerdictCounts {
  return countVerdicts(finishedResults(state));
}
