// Reopening a plan shows its latest run: when a plan is opened (or the app starts with it) its newest saved run is
// read and shown in the matrix as "last run", without starting anything. An unsaved plan's runs share the
// workspace's `runs` folder, so for one without a file only the demo's own runs (by plan name) count.
import { useEffect, type Dispatch } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { planName } from '../plan/planEdit.js';
import { runFromRecord } from '../run/runState.js';
import type { AppAction, OpenDocument } from './appState.js';

export function useLatestRun(api: RelayTesterApi, doc: OpenDocument | undefined, dispatch: Dispatch<AppAction>) {
  const key = doc?.key;
  const path = doc?.path;
  const demoName = doc && !doc.path && doc.demo ? planName(doc.plan) : undefined;
  useEffect(() => {
    if (key === undefined || (!path && demoName === undefined)) return;
    let current = true;
    void (async () => {
      try {
        const runs = await api.listRuns(path ? { planPath: path } : {});
        const newest = path ? runs[0] : runs.find((run) => run.planName === demoName);
        if (!newest || !current) return;
        const record = await api.loadRun({ file: newest.file });
        if (current) dispatch({ type: 'latest-run-loaded', documentKey: key, run: runFromRecord(record, newest.file) });
      } catch {
        // No saved run to show is no error: the matrix shows the plan as "not run".
      }
    })();
    return () => {
      current = false;
    };
  }, [api, key, path, demoName, dispatch]);
}
