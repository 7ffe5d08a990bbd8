// The plan being edited as a document: the start plan the core names, New, Open, Save and Save As (native dialogs
// in the desktop app, the workspace dialogs in the browser), and whether it has unsaved changes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, PlanDocument, RelayTesterApi } from '../../shared/ipc.js';
import type { PlanProblem } from '../../shared/plan.js';
import { planName } from '../plan/planEdit.js';
import type { Notice } from './NoticeBar.js';

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

export interface PlanDocumentCallbacks {
  notify(text: string, kind?: Notice['kind']): void;
  onError(message: string): void;
  /** The plan editor should be shown (the plan has problems, or is new). */
  showPlan(): void;
  /** Another plan was loaded: nothing shown of the previous one stays. */
  onLoad(): void;
}

export function usePlanDocument(api: RelayTesterApi, callbacks: PlanDocumentCallbacks) {
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [startError, setStartError] = useState<string | undefined>();
  const [doc, setDoc] = useState<OpenDocument | undefined>();
  const [dialog, setDialog] = useState<'open' | 'save-as' | undefined>();
  const nextKey = useRef(1);
  const latest = useRef(callbacks);
  latest.current = callbacks;

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
    latest.current.onLoad();
    if (document.problems && document.problems.length > 0) latest.current.showPlan();
  }, []);

  useEffect(() => {
    let current = true;
    api.getAppInfo({}).then(
      (appInfo) => {
        if (!current) return;
        setInfo(appInfo);
        load(appInfo.startPlan);
      },
      (error: Error) => current && setStartError(error.message),
    );
    return () => {
      current = false;
    };
  }, [api, load]);

  const update = useCallback((change: (plan: unknown) => unknown) => {
    setDoc((current) => {
      if (!current) return current;
      const plan = change(current.plan);
      // Plans are small (at most 1 MB): comparing the text makes an edit that is undone again count as no change.
      return { ...current, plan, dirty: JSON.stringify(plan) !== current.savedText, revision: current.revision + 1 };
    });
  }, []);

  const confirmDiscard = useCallback(
    (doing: string) => !doc?.dirty || window.confirm(`Discard the unsaved changes to "${planName(doc.plan)}" and ${doing}?`),
    [doc],
  );

  const newPlan = useCallback(async () => {
    if (!confirmDiscard('start a new plan')) return;
    try {
      load(await api.newPlan({}));
      latest.current.showPlan();
    } catch (error) {
      latest.current.onError(`Could not create a plan: ${(error as Error).message}`);
    }
  }, [api, confirmDiscard, load]);

  const openPath = useCallback(
    async (path?: string) => {
      setDialog(undefined);
      try {
        const opened = await api.openPlan(path ? { path } : {});
        if (!opened) return;
        load(opened);
        latest.current.notify(
          opened.problems?.length
            ? `Opened ${opened.path ?? 'the plan'}: it has ${opened.problems.length} problem(s) to fix.`
            : `Opened ${opened.path ?? 'the plan'}.`,
          opened.problems?.length ? 'error' : 'info',
        );
      } catch (error) {
        latest.current.onError(`Could not open the plan: ${(error as Error).message}`);
      }
    },
    [api, load],
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
          latest.current.onError(`Not saved: the plan has ${answer.problems.length} problem(s). Fix them in the Plan tab.`);
          latest.current.showPlan();
          return;
        }
        const savedText = JSON.stringify(plan) ?? '';
        setDoc((current) =>
          current && current.key === key
            ? { ...current, path: answer.path, savedText, dirty: current.revision === revision ? false : JSON.stringify(current.plan) !== savedText }
            : current,
        );
        latest.current.notify(`Saved ${answer.path}.`);
      } catch (error) {
        latest.current.onError(`Could not save the plan: ${(error as Error).message}`);
      }
    },
    [api, doc],
  );

  const saveAs = useCallback(() => {
    if (info?.face === 'electron') void saveTo(undefined);
    else setDialog('save-as');
  }, [info, saveTo]);

  const save = useCallback(() => {
    if (doc?.path) void saveTo(doc.path);
    else saveAs();
  }, [doc, saveAs, saveTo]);

  const closeDialog = useCallback(() => setDialog(undefined), []);

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

  return { info, startError, doc, update, newPlan, openPlan, openPath, save, saveAs, saveTo, dialog, closeDialog };
}
