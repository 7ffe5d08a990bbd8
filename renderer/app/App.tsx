// The window: the plan being edited, its matrix beside the live transcript, and its history. Every action is
// reachable from the toolbar, the keyboard and (in the desktop app) the menu, through the same functions. The
// state lives in one reducer (appState.ts); the hooks beside this file do the I/O and dispatch what happened, and
// this file reads the state and lays it out: data flows one way.
import { useCallback, useMemo, useReducer, useRef, useState } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import type { Expectation } from '../../shared/plan.js';
import { vantageSecretName } from '../../shared/vantage.js';
import type { ConnectionMonitor } from '../api/socketApi.js';
import { DropOverlay, OpenPlanDialog } from '../dialogs/OpenPlanDialog.js';
import { PasswordConsentDialog } from '../dialogs/PasswordConsentDialog.js';
import { SaveAsDialog } from '../dialogs/SaveAsDialog.js';
import { PlanEditor } from '../editor/PlanEditor.js';
import type { PlanEditing } from '../editor/planEditing.js';
import { HistoryPanel } from '../history/HistoryPanel.js';
import { MatrixPanel } from '../matrix/MatrixPanel.js';
import { casesToRerun } from '../../shared/caseSelection.js';
import { RunActions } from '../run/RunActions.js';
import { finishedResults } from '../run/runState.js';
import { useRunAttention } from '../run/useRunAttention.js';
import { useRunNotifications } from '../run/useRunNotifications.js';
import {
  planName,
  removeAt,
  setAt,
  suggestedFileName,
  withExpectation,
  withoutExpectation,
  type PathKey,
} from '../plan/planEdit.js';
import type { TerminalControls, TerminalView } from '../transcript/terminalView.js';
import { TranscriptPane } from '../transcript/TranscriptPane.js';
import { QuickProbePanel } from '../probe/QuickProbePanel.js';
import { appReducer, initialAppState, notify, reportError } from './appState.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { KeepWhileHidden } from './KeepWhileHidden.js';
import { NoticeBar, type Notice } from './NoticeBar.js';
import { Toolbar } from './Toolbar.js';
import { useHistoryRun } from './useHistoryRun.js';
import { useInspection } from './useInspection.js';
import { useLatestRun } from './useLatestRun.js';
import { useMatrixView } from './useMatrixView.js';
import { useMenuAndShortcuts } from './useMenuAndShortcuts.js';
import { usePasswordConsent } from './usePasswordConsent.js';
import { usePasswords } from './usePasswords.js';
import { usePlanDocument } from './usePlanDocument.js';
import { useFileDrop, usePlanImport } from './usePlanImport.js';
import { usePreferences } from './usePreferences.js';
import { useReportExport } from './useReportExport.js';
import { useRunController } from './useRunController.js';
import { ViewTabs, type Tab } from './ViewTabs.js';

export interface AppProps {
  api: RelayTesterApi;
  connection?: ConnectionMonitor;
  /** The terminal of the transcript pane; tests give a plain one (xterm.js needs a real browser). */
  TerminalView?: TerminalView;
}

export function App({ api, connection, TerminalView }: AppProps) {
  const preferences = usePreferences();
  const [state, dispatch] = useReducer(appReducer, initialAppState);
  const { info, startError, doc, dialog, tab, selectedId, follow, historyRun, historyKey, notice } = state;
  const terminalControls = useRef<TerminalControls | null>(null);
  // The quick probe mounts on its first visit and then stays, so a probe and its form survive a look at the matrix.
  const [probeOpened, setProbeOpened] = useState(false);
  if (tab === 'probe' && !probeOpened) setProbeOpened(true);

  const { update, newPlan, openPlan, openPath, save, saveAs, saveTo, closeDialog, confirmDiscard } = usePlanDocument(
    api,
    info,
    doc,
    dispatch,
  );
  const inspection = useInspection(api, doc?.key ?? 0, doc?.plan, dispatch);
  const consent = usePasswordConsent();
  const passwords = usePasswords(api, doc?.plan, info?.passwordStorage, historyKey, dispatch);
  const runner = useRunController(api, doc, inspection, state.run, dispatch, consent.ask);
  const showHistoryRun = useHistoryRun(api, dispatch);
  useLatestRun(api, doc, dispatch);
  const view = useMatrixView({
    doc,
    inspection,
    liveRun: state.run,
    running: runner.running,
    historyRun,
    latestRun: state.latestRun,
    selectedId,
  });
  const { displayRun } = view;
  const report = useReportExport(api, displayRun, dispatch, info?.face);
  const importPlan = usePlanImport(api, dispatch, confirmDiscard);
  const importFile = useCallback((file: File) => void importPlan(file), [importPlan]);
  const dragging = useFileDrop(importFile);

  useMenuAndShortcuts(api, info?.face, {
    new: () => void newPlan(),
    open: openPlan,
    save,
    'save-as': saveAs,
    run: () => void runner.runPlan(),
    'rerun-failed': () => rerunFailed(),
    cancel: () => void runner.cancel(),
    export: report.exportShownRun,
  });

  const editing: PlanEditing | undefined = useMemo(
    () =>
      doc && {
        plan: doc.plan,
        problems: inspection.problems,
        warnings: inspection.warnings,
        set: (path: readonly PathKey[], value: unknown) => update((plan) => setAt(plan, path, value)),
        remove: (path: readonly PathKey[]) => update((plan) => removeAt(plan, path)),
        disabled: false,
      },
    [doc, inspection.problems, inspection.warnings, update],
  );

  const showPlan = useCallback(() => dispatch({ type: 'tab', tab: 'plan' }), []);
  const showTab = useCallback((chosen: Tab) => dispatch({ type: 'tab', tab: chosen }), []);
  const hideHistoryRun = useCallback(() => dispatch({ type: 'history-hidden' }), []);
  const select = useCallback((caseId: string) => dispatch({ type: 'case-chosen', caseId }), []);
  const openTranscript = useCallback((caseId: string) => {
    dispatch({ type: 'case-opened', caseId });
    terminalControls.current?.focus();
  }, []);
  const setFollow = useCallback((value: boolean) => dispatch({ type: 'follow', follow: value }), []);
  const onNotice = useCallback((text: string, kind?: Notice['kind']) => dispatch(notify(text, kind)), []);
  const onError = useCallback((text: string) => dispatch(reportError(text)), []);
  const dismiss = useCallback(() => dispatch({ type: 'notice-dismissed' }), []);
  const runNotifications = useRunNotifications(onNotice, info?.face);
  const summaryRef = useRef<HTMLDivElement>(null);
  useRunAttention(state.run, summaryRef, {
    notify: runNotifications.enabled,
    planName: doc ? planName(doc.plan) : '',
  });
  // "Re-run failed" runs again what failed, errored or was inconclusive in the run shown.
  const rerunIds = useMemo(
    () => (displayRun?.phase === 'finished' ? casesToRerun(finishedResults(displayRun)) : []),
    [displayRun],
  );
  const rerunFailed = () => {
    if (runner.running) return;
    if (rerunIds.length > 0) void runner.runPlan(rerunIds);
    // Reached by Ctrl+Shift+Enter or the menu (the button is disabled then): say why nothing happens.
    else onNotice('The run shown has no failed, errored or inconclusive case to run again.');
  };
  // The matrix panel is memoised (a 5,000-case matrix must not re-render on every window update): its run actions
  // are one element that changes only when what they show does, and call the latest rerunFailed through a ref.
  const rerunRef = useRef(rerunFailed);
  rerunRef.current = rerunFailed;
  const onRerunFailed = useCallback(() => rerunRef.current(), []);
  const { enabled: notifyEnabled, supported: notifySupported, setEnabled: setNotify } = runNotifications;
  const runActions = useMemo(
    () => (
      <RunActions
        rerunCount={rerunIds.length}
        running={runner.running}
        canRun={inspection.check.ok}
        onRerunFailed={onRerunFailed}
        notify={{ enabled: notifyEnabled, supported: notifySupported, setEnabled: (wanted) => void setNotify(wanted) }}
      />
    ),
    [rerunIds.length, runner.running, inspection.check.ok, onRerunFailed, notifyEnabled, notifySupported, setNotify],
  );
  const setExpectation = useCallback(
    (caseId: string, expect: Expectation) => update((plan) => withExpectation(plan, caseId, expect)),
    [update],
  );
  const resetExpectation = useCallback(
    (caseId: string) => update((plan) => withoutExpectation(plan, caseId)),
    [update],
  );

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
  const selectedCase = selectedId ? inspection.matrix?.cases.find((testCase) => testCase.id === selectedId) : undefined;
  return (
    <div className="app">
      <ConnectionBanner connection={connection} />
      <header className="app-header">
        <div className="title-line">
          <h1>Relay Tester</h1>
          <span className="document-name" data-testid="document-name">
            {planName(doc.plan)}
            {doc.dirty ? (
              <span className="dirty" aria-label="unsaved changes">
                {' '}
                ●
              </span>
            ) : null}
          </span>
          <span className="document-path">
            {doc.path ?? (doc.demo ? 'demo plan against the built-in lab (not saved)' : 'not saved yet')}
          </span>
        </div>
        <Toolbar
          running={runner.running}
          cancelling={state.run?.cancelRequested === true}
          canRun={inspection.check.ok}
          canExport={displayRun?.file !== undefined}
          onNew={() => void newPlan()}
          onOpen={openPlan}
          onSave={save}
          onSaveAs={saveAs}
          onRun={() => void runner.runPlan()}
          onCancel={() => void runner.cancel()}
          onExport={report.exportShownRun}
          reportFormat={report.format}
          onReportFormat={report.setFormat}
          theme={preferences.theme}
          onTheme={preferences.setTheme}
          largeText={preferences.largeText}
          onLargeText={preferences.setLargeText}
        />
        <ViewTabs tab={tab} onTab={showTab} problemCount={inspection.problems.length} />
      </header>

      <main className="app-main">
        <section
          id="panel-plan"
          role="tabpanel"
          aria-labelledby="tab-plan"
          hidden={tab !== 'plan'}
          className="panel panel-plan"
        >
          {/* Each panel starts at h2 (its sections are h3): the tab names it on screen, this names it for headings. */}
          <h2 className="visually-hidden">Plan</h2>
          <KeepWhileHidden active={tab === 'plan'}>
            <PlanEditor
              key={doc.key}
              editing={editing}
              passwords={{
                bindings: passwords.bindings,
                labAccounts: passwords.labAccounts,
                labServers: passwords.labServers,
                vantageSecrets: passwords.vantageSecrets,
                planServers: passwords.planServers,
                ...(passwords.storage ? { storage: passwords.storage } : {}),
                demo: doc.demo,
                onSet: passwords.setPassword,
                onBind: passwords.bindPassword,
                onForget: passwords.forgetPassword,
              }}
              vantage={{
                sources: inspection.sources,
                fetchHostKey: (host, port) => api.fetchHostKey({ host, port }),
                onSetSecret: (name, secret, servers) => passwords.setPassword(vantageSecretName(name), secret, servers),
              }}
            />
          </KeepWhileHidden>
        </section>

        <section
          id="panel-matrix"
          role="tabpanel"
          aria-labelledby="tab-matrix"
          hidden={tab !== 'matrix'}
          className="panel panel-matrix"
        >
          <MatrixPanel
            key={doc.key}
            active={tab === 'matrix'}
            rows={view.rows}
            runRows={view.runRows}
            showsLastRun={view.showsLastRun}
            displayRun={displayRun}
            historyRun={historyRun}
            policy={view.policy}
            documentPlan={doc.plan}
            overrides={view.overrides}
            matrix={inspection.matrix}
            matrixOutdated={inspection.matrixOutdated}
            problemCount={inspection.problems.length}
            expectationsEditable={view.expectationsEditable}
            selectedId={selectedId}
            onSelect={select}
            onOpen={openTranscript}
            onShowPlan={showPlan}
            onHideHistory={hideHistoryRun}
            onSetExpectation={setExpectation}
            onResetExpectation={resetExpectation}
            summaryRef={summaryRef}
            runActions={runActions}
            partialOnPlanRows={view.partialOnPlanRows}
          />
          <TranscriptPane
            {...(view.selection ? { selection: view.selection } : {})}
            follow={follow}
            onFollowChange={setFollow}
            look={look}
            onNotice={onNotice}
            controlsRef={terminalControls}
            {...(TerminalView ? { TerminalView } : {})}
            onRunCase={(caseId) => void runner.runPlan([caseId])}
            runCaseBlocked={runner.running || !inspection.check.ok}
          />
        </section>

        <section
          id="panel-probe"
          role="tabpanel"
          aria-labelledby="tab-probe"
          hidden={tab !== 'probe'}
          className="panel panel-probe"
        >
          {probeOpened ? (
            <QuickProbePanel
              api={api}
              rawPlan={doc.plan}
              {...(inspection.check.ok ? { plan: inspection.check.plan } : {})}
              {...(doc.path ? { planPath: doc.path } : {})}
              sources={inspection.sources}
              {...(selectedCase ? { selectedCase } : {})}
              look={look}
              onPlanChange={update}
              onNotice={onNotice}
              {...(TerminalView ? { TerminalView } : {})}
            />
          ) : null}
        </section>

        <section
          id="panel-history"
          role="tabpanel"
          aria-labelledby="tab-history"
          hidden={tab !== 'history'}
          className="panel panel-history"
        >
          <h2 className="visually-hidden">History</h2>
          {tab === 'history' ? (
            <HistoryPanel
              api={api}
              {...(doc.path ? { planPath: doc.path } : {})}
              refreshKey={historyKey}
              onShowRun={(file) => void showHistoryRun(file)}
              onExportComparison={(before, after) => void report.exportReport(after, before)}
              onError={onError}
              onRunDeleted={(file) => dispatch({ type: 'run-deleted', file })}
            />
          ) : null}
        </section>
      </main>

      <NoticeBar
        notice={notice}
        onDismiss={dismiss}
        {...(info.face === 'electron' ? { onReveal: (file: string) => void report.revealFile(file) } : {})}
      />
      {dragging ? <DropOverlay /> : null}

      {consent.question ? (
        <PasswordConsentDialog question={consent.question} onAnswer={consent.answer} onClose={consent.close} />
      ) : null}
      {dialog === 'open' ? (
        <OpenPlanDialog
          api={api}
          workspace={info.workspace}
          onOpen={(path) => void openPath(path)}
          onImport={importFile}
          onClose={closeDialog}
        />
      ) : null}
      {dialog === 'save-as' ? (
        <SaveAsDialog
          workspace={info.workspace}
          suggested={
            doc.path ? (doc.path.split(/[\\/]/).pop() ?? suggestedFileName(doc.plan)) : suggestedFileName(doc.plan)
          }
          onSave={(fileName) => void saveTo(fileName)}
          onClose={closeDialog}
        />
      ) : null}
    </div>
  );
}
