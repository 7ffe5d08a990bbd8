// Showing a saved run from the history in the matrix instead of the current plan's: read it, then dispatch it.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, type Dispatch } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { runFromRecord } from '../run/runState.js';
import { reportError, type AppAction } from './appState.js';

export function useHistoryRun(api: RelayTesterApi, dispatch: Dispatch<AppAction>) {
  return useCallback(
    async (file: string) => {
      try {
        const record = await api.loadRun({ file });
        dispatch({ type: 'history-shown', run: runFromRecord(record, file) });
      } catch (error) {
        dispatch(reportError(`Could not load the run: ${errorMessage(error)}`));
      }
    },
    [api, dispatch],
  );
}
