// The plan being edited as a document: the start plan the core names, New, Open, Save and Save As (native dialogs
// in the desktop app, the workspace dialogs in the browser). The document itself lives in appState; this hook talks
// to the core and dispatches what happened.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useEffect, type Dispatch } from 'react';
import type { AppInfo, RelayTesterApi } from '../../shared/ipc.js';
import { planName } from '../plan/planEdit.js';
import { notify, reportError, type AppAction, type OpenDocument } from './appState.js';

export function usePlanDocument(
  api: RelayTesterApi,
  info: AppInfo | undefined,
  doc: OpenDocument | undefined,
  dispatch: Dispatch<AppAction>,
) {
  useEffect(() => {
    let current = true;
    api.getAppInfo({}).then(
      (appInfo) => current && dispatch({ type: 'app-started', info: appInfo }),
      (error: Error) => current && dispatch({ type: 'app-unreachable', message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [api, dispatch]);

  const update = useCallback(
    (change: (plan: unknown) => unknown) => dispatch({ type: 'plan-edited', change }),
    [dispatch],
  );

  const confirmDiscard = useCallback(
    (doing: string) =>
      !doc?.dirty || window.confirm(`Discard the unsaved changes to "${planName(doc.plan)}" and ${doing}?`),
    [doc],
  );

  const newPlan = useCallback(async () => {
    if (!confirmDiscard('start a new plan')) return;
    try {
      dispatch({ type: 'document-loaded', document: await api.newPlan({}), showPlan: true });
    } catch (error) {
      dispatch(reportError(`Could not create a plan: ${errorMessage(error)}`));
    }
  }, [api, confirmDiscard, dispatch]);

  const openPath = useCallback(
    async (path?: string) => {
      dispatch({ type: 'dialog', dialog: undefined });
      try {
        const opened = await api.openPlan(path ? { path } : {});
        if (!opened) return;
        dispatch({ type: 'document-loaded', document: opened });
        dispatch(
          opened.problems?.length
            ? reportError(`Opened ${opened.path ?? 'the plan'}: it has ${opened.problems.length} problem(s) to fix.`)
            : notify(`Opened ${opened.path ?? 'the plan'}.`),
        );
      } catch (error) {
        dispatch(reportError(`Could not open the plan: ${errorMessage(error)}`));
      }
    },
    [api, dispatch],
  );

  const openPlan = useCallback(() => {
    if (!confirmDiscard('open another plan')) return;
    if (info?.face === 'electron') void openPath();
    else dispatch({ type: 'dialog', dialog: 'open' });
  }, [confirmDiscard, info, openPath, dispatch]);

  const saveTo = useCallback(
    async (path: string | undefined) => {
      dispatch({ type: 'dialog', dialog: undefined });
      if (!doc) return;
      const { plan, revision, key } = doc;
      try {
        const answer = await api.savePlan(path ? { path, plan } : { plan });
        if (!answer) return;
        if (!answer.saved) {
          dispatch(
            reportError(`Not saved: the plan has ${answer.problems.length} problem(s). Fix them in the Plan tab.`),
          );
          dispatch({ type: 'tab', tab: 'plan' });
          return;
        }
        dispatch({ type: 'document-saved', key, revision, path: answer.path, plan });
        dispatch(notify(`Saved ${answer.path}.`));
      } catch (error) {
        dispatch(reportError(`Could not save the plan: ${errorMessage(error)}`));
      }
    },
    [api, doc, dispatch],
  );

  const saveAs = useCallback(() => {
    if (info?.face === 'electron') void saveTo(undefined);
    else dispatch({ type: 'dialog', dialog: 'save-as' });
  }, [info, saveTo, dispatch]);

  const save = useCallback(() => {
    if (doc?.path) void saveTo(doc.path);
    else saveAs();
  }, [doc, saveAs, saveTo]);

  const closeDialog = useCallback(() => dispatch({ type: 'dialog', dialog: undefined }), [dispatch]);

  // Leaving the page (closing the tab, reloading) with unsaved changes asks first.
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

  return { update, newPlan, openPlan, openPath, save, saveAs, saveTo, closeDialog, confirmDiscard };
}
