// A saved run from the history shown in the matrix instead of the current plan's, and the key that tells the
// history panel to read the list of runs again (a run was saved).
import { useCallback, useRef, useState } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { runFromRecord, type RunState } from '../run/runState.js';

export interface HistoryRunCallbacks {
  /** The run was loaded and is about to be shown. */
  onShown(): void;
  onError(message: string): void;
}

export function useHistoryRun(api: RelayTesterApi, callbacks: HistoryRunCallbacks) {
  const [historyRun, setHistoryRun] = useState<RunState | undefined>();
  const [refreshKey, setRefreshKey] = useState(0);
  const latest = useRef(callbacks);
  latest.current = callbacks;

  const show = useCallback(
    async (file: string) => {
      try {
        const record = await api.loadRun({ file });
        setHistoryRun(runFromRecord(record, file));
        latest.current.onShown();
      } catch (error) {
        latest.current.onError(`Could not load the run: ${(error as Error).message}`);
      }
    },
    [api],
  );

  /** Back to the current plan's matrix. */
  const hide = useCallback(() => setHistoryRun(undefined), []);
  const refresh = useCallback(() => setRefreshKey((key) => key + 1), []);

  return { historyRun, refreshKey, show, hide, refresh };
}
