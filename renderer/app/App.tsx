// The window: the plan being edited, its matrix beside the live transcript, and its history. Every action is
// reachable from the toolbar, the keyboard and (in the desktop app) the menu, through the same functions.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AppInfo, MenuAction, PasswordStorage, PlanDocument, RelayTesterApi } from '../../shared/ipc.js';
import type { Expectation, PlanProblem } from '../../shared/plan.js';
import type { ConnectionMonitor } from '../api/socketApi.js';
import { OpenPlanDialog } from '../dialogs/OpenPlanDialog.js';
import { SaveAsDialog } from '../dialogs/SaveAsDialog.js';
import { PlanEditor } from '../editor/PlanEditor.js';
import type { PlanEditing } from '../editor/planEditing.js';
import { HistoryPanel, formatTime } from '../history/HistoryPanel.js';
import { caseRows } from '../matrix/caseRows.js';
import { MatrixTable } from '../matrix/MatrixTable.js';
import { RunSummary } from '../matrix/RunSummary.js';
import {
  accountNames,
  expectationOverrides,
  planName,
  removeAt,
  setAt,
  suggestedFileName,
  withExpectation,
  withoutExpectation,
  type PathKey,
} from '../plan/planEdit.js';
import { runFromRecord, type RunState } from '../run/runState.js';
import type { TerminalControls, TerminalView } from '../transcript/terminalView.js';
import { TranscriptPane, type TranscriptSelection } from '../transcript/TranscriptPane.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { NoticeBar, type Notice } from './NoticeBar.js';
import { Toolbar, type ReportFormat } from './Toolbar.js';
import { useInspection } from './useInspection.js';
import { usePreferences } from './usePreferences.js';
import { useRunController } from './useRunController.js';

export interface AppProps {
  api: RelayTesterApi;
  connection?: ConnectionMonitor;
  /** The terminal of the transcript pane; tests give a plain one (xterm.js needs a real browser). */
  TerminalView?: TerminalView;
}

type Tab = 'plan' | 'matrix' | 'history';
const TABS: { id: Tab; label: string }[] = [
  { id: 'plan', label: 'Plan' },
  { id: 'matrix', label: 'Matrix and transcript' },
  { id: 'history', label: 'History' },
];

interface OpenDocument {
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

function usableAccount(account: string): boolean {
  return account.length <= 256 && !/[\x00-\x1f\x7f]/.test(account);
}

export function App({ api, connection, TerminalView }: AppProps) {
  const preferences = usePreferences();
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [startError, setStartError] = useState<string | undefined>();
  const [doc, setDoc] = useState<OpenDocument | undefined>();
  const [tab, setTab] = useState<Tab>('matrix');
  const [notice, setNotice] = useState<Notice | undefined>();
  const [dialog, setDialog] = useState<'open' | 'save-as' | undefined>();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const [historyRun, setHistoryRun] = useState<RunState | undefined>();
  const [historyKey, setHistoryKey] = useState(0);
  const [reportFormat, setReportFormat] = useState<ReportFormat>('html');
  const [known, setKnown] = useState<ReadonlySet<string>>(new Set());
  const [storage, setStorage] = useState<PasswordStorage | undefined>();
  const terminalControls = useRef<TerminalControls | null>(null);
  const nextKey = useRef(1);
  const followRef = useRef(follow);
  followRef.current = follow;

  const notify = useCallback((text: string, kind: Notice['kind'] = 'info') => {
    setNotice((previous) => ({ text, kind, serial: (previous?.serial ?? 0) + 1 }));
  }, []);
  const reportError = useCallback((text: string) => notify(text, 'error'), [notify]);

  const load = useCallback((document: PlanDocument & { problems?: PlanProblem[] }) => {
    const opened: OpenDocument = {
      plan: document.plan,
      demo: document.demo === true,
      dirty: false,
      savedText: JSON.stringify(document.plan) ?? '',
      key: nextKey.current++,
      revision: 0,
    };
    if (document.path) opened.path = document.path;
    setDoc(opened);
    setHistoryRun(undefined);
    setSelectedId(undefined);
    if (document.problems && document.problems.length > 0) setTab('plan');
  }, []);

  useEffect(() => {
    let current = true;
    api.getAppInfo({}).then(
      (appInfo) => {
        if (!current) return;
        setInfo(appInfo);
        setStorage(appInfo.passwordStorage);
        load(appInfo.startPlan);
      },
      (error: Error) => current && setStartError(error.message),
    );
    return () => {
      current = false;
    };
  }, [api, load]);

  const inspection = useInspection(api, doc?.key ?? 0, doc?.plan, reportError);

  const runner = useRunController(api, {
    onCaseStarted(caseId) {
      if (followRef.current) setSelectedId(caseId);
    },
    onFinished(run) {
      const counts = run.record?.summary;
      notify(`Run finished${run.record?.cancelled ? ' (cancelled)' : ''}${counts ? `: ${counts.pass} pass, ${counts.fail} fail` : ''}. It is saved in the history.`);
    },
    onSaved() {
      setHistoryKey((key) => key + 1);
    },
    onError: reportError,
  });

  // ----- editing -----
  const update = useCallback((change: (plan: unknown) => unknown) => {
    setDoc((current) => {
      if (!current) return current;
      const plan = change(current.plan);
      // Plans are small (at most 1 MB): comparing the text makes an edit that is undone again count as no change.
      return { ...current, plan, dirty: JSON.stringify(plan) !== current.savedText, revision: current.revision + 1 };
    });
  }, []);

  const editing: PlanEditing | undefined = useMemo(
    () =>
      doc && {
        plan: doc.plan,
        problems: inspection.problems,
        set: (path: readonly PathKey[], value: unknown) => update((plan) => setAt(plan, path, value)),
        remove: (path: readonly PathKey[]) => update((plan) => removeAt(plan, path)),
        disabled: false,
      },
    [doc, inspection.problems, update],
  );

  const accounts = useMemo(() => (doc ? accountNames(doc.plan).filter(usableAccount) : []), [doc]);
  const accountsKey = accounts.join('\n');
  const refreshPasswords = useCallback(async () => {
    if (accounts.length === 0) {
      setKnown(new Set());
      return;
    }
    try {
      const status = await api.passwordStatus({ accounts });
      setKnown(new Set(status.known));
      setStorage(status.storage);
    } catch (error) {
      reportError(`Could not read which passwords are set: ${(error as Error).message}`);
    }
    // accountsKey stands for `accounts`, so typing elsewhere in the plan does not ask the core again.
  }, [api, accountsKey, reportError]);
  useEffect(() => {
    void refreshPasswords();
  }, [refreshPasswords]);

  // ----- document actions -----
  const confirmDiscard = useCallback(
    (doing: string) => !doc?.dirty || window.confirm(`Discard the unsaved changes to "${planName(doc.plan)}" and ${doing}?`),
    [doc],
  );

  const newPlan = useCallback(async () => {
    if (!confirmDiscard('start a new plan')) return;
    try {
      load(await api.newPlan({}));
      setTab('plan');
    } catch (error) {
      reportError(`Could not create a plan: ${(error as Error).message}`);
    }
  }, [api, confirmDiscard, load, reportError]);

  const openPath = useCallback(
    async (path?: string) => {
      setDialog(undefined);
      try {
        const opened = await api.openPlan(path ? { path } : {});
        if (!opened) return;
        load(opened);
        notify(
          opened.problems?.length
            ? `Opened ${opened.path ?? 'the plan'}: it has ${opened.problems.length} problem(s) to fix.`
            : `Opened ${opened.path ?? 'the plan'}.`,
          opened.problems?.length ? 'error' : 'info',
        );
      } catch (error) {
        reportError(`Could not open the plan: ${(error as Error).message}`);
      }
    },
    [api, load, notify, reportError],
  );

  const openPlan = useCallback(() => {
    if (!confirmDiscard('open another plan')) return;
    if (info?.face === 'electron') void openPath();
    else setDialog('open');
  }, [confirmDiscard, info, openPath]);

  const saveTo = useCallback(
    async (path: string | undefined) => {
      setDialog(undefined);
      if (!doc) return;
      const { plan, revision, key } = doc;
      try {
        const answer = await api.savePlan(path ? { path, plan } : { plan });
        if (!answer) return;
        if (!answer.saved) {
          reportError(`Not saved: the plan has ${answer.problems.length} problem(s). Fix them in the Plan tab.`);
          setTab('plan');
          return;
        }
        const savedText = JSON.stringify(plan) ?? '';
        setDoc((current) =>
          current && current.key === key
            ? { ...current, path: answer.path, savedText, dirty: current.revision === revision ? false : JSON.stringify(current.plan) !== savedText }
            : current,
        );
        notify(`Saved ${answer.path}.`);
      } catch (error) {
        reportError(`Could not save the plan: ${(error as Error).message}`);
      }
    },
    [api, doc, notify, reportError],
  );

  const saveAs = useCallback(() => {
    if (info?.face === 'electron') void saveTo(undefined);
    else setDialog('save-as');
  }, [info, saveTo]);

  const save = useCallback(() => {
    if (doc?.path) void saveTo(doc.path);
    else saveAs();
  }, [doc, saveAs, saveTo]);

  // ----- running -----
  const run = useCallback(async () => {
    if (!doc || runner.running) return;
    if (!inspection.check.ok) {
      reportError(`The plan has ${inspection.problems.length} problem(s) to fix before it can run.`);
      setTab('plan');
      return;
    }
    setHistoryRun(undefined);
    setTab('matrix');
    const problems = await runner.start(doc.plan, { documentKey: doc.key, revision: doc.revision, ...(doc.path ? { planPath: doc.path } : {}) });
    if (problems) {
      reportError(`The core refused the plan: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
      setTab('plan');
    }
  }, [doc, inspection, reportError, runner]);

  // A live run is shown with the plan it was started from (and while it runs, whatever is open).
  const liveRun = runner.run && (runner.running || runner.run.documentKey === doc?.key) ? runner.run : undefined;
  const displayRun = historyRun ?? liveRun;

  const exportReport = useCallback(
    async (runFile: string | undefined, compareWith?: string) => {
      if (!runFile) {
        notify(displayRun?.record ? 'The run is still being saved; try again in a moment.' : 'Nothing to export yet: run the plan, or show a run from the history.');
        return;
      }
      try {
        const written = await api.exportReport({ runFile, format: reportFormat, ...(compareWith ? { compareWith } : {}) });
        if (written) notify(`Report written to ${written.path}.`);
      } catch (error) {
        reportError(`Could not export the report: ${(error as Error).message}`);
      }
    },
    [api, displayRun, notify, reportError, reportFormat],
  );
  const exportShownRun = useCallback(() => void exportReport(displayRun?.file), [displayRun, exportReport]);

  const showHistoryRun = useCallback(
    async (file: string) => {
      try {
        const record = await api.loadRun({ file });
        setHistoryRun(runFromRecord(record, file));
        setSelectedId(undefined);
        setTab('matrix');
      } catch (error) {
        reportError(`Could not load the run: ${(error as Error).message}`);
      }
    },
    [api, reportError],
  );

  // ----- menu, shortcuts, leaving -----
  const actions = useRef<Record<MenuAction, () => void>>({} as Record<MenuAction, () => void>);
  actions.current = {
    new: () => void newPlan(),
    open: openPlan,
    save,
    'save-as': saveAs,
    run: () => void run(),
    cancel: () => void runner.cancel(),
    export: exportShownRun,
  };
  useEffect(() => api.on('menu', (action) => actions.current[action]?.()), [api]);

  useEffect(() => {
    if (info?.face !== 'browser') return; // the desktop app's menu has these accelerators
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        actions.current[event.shiftKey ? 'save-as' : 'save']();
      } else if (key === 'o' && !event.shiftKey) {
        event.preventDefault();
        actions.current.open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [info]);

  const dirty = doc?.dirty === true;
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // ----- the matrix and the transcript -----
  const runRows =
    displayRun !== undefined &&
    displayRun.cases.length > 0 &&
    (displayRun.origin === 'history' || displayRun.phase !== 'finished' || (displayRun.documentKey === doc?.key && displayRun.revision === doc?.revision));
  const rows = useMemo(() => {
    if (runRows && displayRun) return caseRows(displayRun.cases, displayRun.sources, displayRun.progress);
    return caseRows(inspection.matrix?.cases ?? [], inspection.sources, displayRun?.progress);
  }, [runRows, displayRun, inspection.matrix, inspection.sources]);
  const overrides = useMemo(() => expectationOverrides(doc?.plan), [doc]);

  const selectedRow = rows.find((row) => row.testCase.id === selectedId);
  const selection: TranscriptSelection | undefined = useMemo(() => {
    if (!selectedRow) return undefined;
    const progress = displayRun?.progress[selectedRow.testCase.id];
    const chosen: TranscriptSelection = { row: selectedRow, events: progress?.events ?? [] };
    if (progress && displayRun) chosen.runId = displayRun.runId;
    return chosen;
  }, [selectedRow, displayRun]);

  const select = useCallback(
    (caseId: string) => {
      setSelectedId(caseId);
      // Choosing a case by hand during a run means "stay here".
      if (runner.running && followRef.current) setFollow(false);
    },
    [runner.running],
  );

  const openTranscript = useCallback((caseId: string) => {
    setSelectedId(caseId);
    terminalControls.current?.focus();
  }, []);

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length]!;
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  if (startError) {
    return (
      <div className="app start-screen" role="alert">
        <h1>Relay Tester</h1>
        <p>Could not reach Relay Tester: {startError}</p>
        <ConnectionBanner connection={connection} />
      </div>
    );
  }
  if (!info || !doc || !editing) {
    return (
      <div className="app start-screen">
        <ConnectionBanner connection={connection} />
        <h1>Relay Tester</h1>
        <p role="status">Connecting…</p>
      </div>
    );
  }

  const look = { dark: preferences.dark, largeText: preferences.largeText };
  const expectationsEditable = !(runner.running && displayRun === runner.run);
  return (
    <div className="app">
      <ConnectionBanner connection={connection} />
      <header className="app-header">
        <div className="title-line">
          <h1>Relay Tester</h1>
          <span className="document-name" data-testid="document-name">
            {planName(doc.plan)}
            {doc.dirty ? <span className="dirty" aria-label="unsaved changes"> ●</span> : null}
          </span>
          <span className="document-path">{doc.path ?? (doc.demo ? 'demo plan against the built-in lab (not saved)' : 'not saved yet')}</span>
        </div>
        <Toolbar
          running={runner.running}
          cancelling={runner.run?.cancelRequested === true}
          canRun={inspection.check.ok}
          canExport={displayRun?.file !== undefined}
          onNew={() => void newPlan()}
          onOpen={openPlan}
          onSave={save}
          onSaveAs={saveAs}
          onRun={() => void run()}
          onCancel={() => void runner.cancel()}
          onExport={exportShownRun}
          reportFormat={reportFormat}
          onReportFormat={setReportFormat}
          theme={preferences.theme}
          onTheme={preferences.setTheme}
          largeText={preferences.largeText}
          onLargeText={preferences.setLargeText}
        />
        <div className="tabs" role="tablist" aria-label="Views">
          {TABS.map((entry, index) => (
            <button
              key={entry.id}
              id={`tab-${entry.id}`}
              type="button"
              role="tab"
              aria-selected={tab === entry.id}
              aria-controls={`panel-${entry.id}`}
              tabIndex={tab === entry.id ? 0 : -1}
              onClick={() => setTab(entry.id)}
              onKeyDown={(event) => onTabKey(event, index)}
            >
              {entry.label}
              {entry.id === 'plan' && inspection.problems.length > 0 ? (
                <span className="badge" aria-label={`${inspection.problems.length} problems`}>
                  {inspection.problems.length}
                </span>
              ) : null}
            </button>
          ))}
        </div>
      </header>

      <main className="app-main">
        <section id="panel-plan" role="tabpanel" aria-labelledby="tab-plan" hidden={tab !== 'plan'} className="panel panel-plan">
          <PlanEditor
            editing={editing}
            passwords={{
              known,
              ...(storage ? { storage } : {}),
              demo: doc.demo,
              onSet: async (account, password) => {
                try {
                  const kept = await api.setPassword({ account, password });
                  notify(`Password of ${account} set. ${kept.note}`);
                } catch (error) {
                  reportError(`Could not keep the password of ${account}: ${(error as Error).message}`);
                }
                await refreshPasswords();
              },
              onForget: async (account) => {
                try {
                  await api.forgetPassword({ account });
                  notify(`Password of ${account} forgotten.`);
                } catch (error) {
                  reportError(`Could not forget the password of ${account}: ${(error as Error).message}`);
                }
                await refreshPasswords();
              },
            }}
          />
        </section>

        <section id="panel-matrix" role="tabpanel" aria-labelledby="tab-matrix" hidden={tab !== 'matrix'} className="panel panel-matrix">
          <div className="matrix-side">
            {historyRun ? (
              <div className="history-note">
                Showing the run of {formatTime(historyRun.record?.startedAt ?? '')} from the history.{' '}
                <button type="button" className="link-button" onClick={() => setHistoryRun(undefined)}>
                  Back to the current plan
                </button>
              </div>
            ) : null}
            {displayRun ? <RunSummary run={displayRun} /> : null}
            {displayRun && !runRows && displayRun.phase === 'finished' ? (
              <p className="field-hint">The plan changed since this run: results are those of the last run, the expectations are the plan’s.</p>
            ) : null}
            {inspection.matrixOutdated ? (
              <p className="warning-note">
                The plan has {inspection.problems.length} problem(s); this is the matrix of its last valid version.{' '}
                <button type="button" className="link-button" onClick={() => setTab('plan')}>
                  Show the problems
                </button>
              </p>
            ) : null}
            {inspection.matrix?.notes.map((note, index) => (
              <p key={index} className="warning-note">
                {note}
              </p>
            ))}
            <div className="matrix-scroll">
              <MatrixTable
                rows={rows}
                {...(selectedId ? { selectedId } : {})}
                onSelect={select}
                onOpen={openTranscript}
                overrides={overrides}
                editable={expectationsEditable}
                onExpectationChange={(caseId, expect: Expectation) => update((plan) => withExpectation(plan, caseId, expect))}
                onExpectationReset={(caseId) => update((plan) => withoutExpectation(plan, caseId))}
              />
            </div>
          </div>
          <TranscriptPane
            {...(selection ? { selection } : {})}
            follow={follow}
            onFollowChange={setFollow}
            look={look}
            onNotice={notify}
            controlsRef={terminalControls}
            {...(TerminalView ? { TerminalView } : {})}
          />
        </section>

        <section id="panel-history" role="tabpanel" aria-labelledby="tab-history" hidden={tab !== 'history'} className="panel panel-history">
          {tab === 'history' ? (
            <HistoryPanel
              api={api}
              {...(doc.path ? { planPath: doc.path } : {})}
              refreshKey={historyKey}
              onShowRun={(file) => void showHistoryRun(file)}
              onExportComparison={(before, after) => void exportReport(after, before)}
              onError={reportError}
            />
          ) : null}
        </section>
      </main>

      <NoticeBar notice={notice} onDismiss={() => setNotice(undefined)} />

      {dialog === 'open' ? (
        <OpenPlanDialog api={api} workspace={info.workspace} onOpen={(path) => void openPath(path)} onClose={() => setDialog(undefined)} />
      ) : null}
      {dialog === 'save-as' ? (
        <SaveAsDialog
          workspace={info.workspace}
          suggested={doc.path ? (doc.path.split(/[\\/]/).pop() ?? suggestedFileName(doc.plan)) : suggestedFileName(doc.plan)}
          onSave={(fileName) => void saveTo(fileName)}
          onClose={() => setDialog(undefined)}
        />
      ) : null}
    </div>
  );
}
