// Exporting a finished run (or a comparison of two) as an HTML or PDF report, from its saved run file.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useState, type Dispatch } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import type { RunState } from '../run/runState.js';
import { notify, reportError, type AppAction } from './appState.js';
import type { ReportFormat } from './Toolbar.js';

/** `shownRun` is the run the matrix shows: the one the toolbar's Export report writes. */
export function useReportExport(api: RelayTesterApi, shownRun: RunState | undefined, dispatch: Dispatch<AppAction>) {
  const [format, setFormat] = useState<ReportFormat>('html');

  const exportReport = useCallback(
    async (runFile: string | undefined, compareWith?: string) => {
      if (!runFile) {
        dispatch(
          notify(
            shownRun?.record
              ? 'The run is still being saved; try again in a moment.'
              : 'Nothing to export yet: run the plan, or show a run from the history.',
          ),
        );
        return;
      }
      try {
        const written = await api.exportReport({ runFile, format, ...(compareWith ? { compareWith } : {}) });
        if (written) dispatch(notify(`Report written to ${written.path}.`));
      } catch (error) {
        dispatch(reportError(`Could not export the report: ${errorMessage(error)}`));
      }
    },
    [api, shownRun, dispatch, format],
  );
  const exportShownRun = useCallback(() => void exportReport(shownRun?.file), [shownRun, exportReport]);

  return { format, setFormat, exportReport, exportShownRun };
}
