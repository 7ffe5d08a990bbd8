// Exporting a finished run (or a comparison of two) as an HTML or PDF report, from its saved run file.
import { useCallback, useState } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import type { RunState } from '../run/runState.js';
import type { ReportFormat } from './Toolbar.js';

export interface ReportExportCallbacks {
  notify(text: string): void;
  onError(message: string): void;
}

/** `shownRun` is the run the matrix shows: the one the toolbar's Export report writes. */
export function useReportExport(api: RelayTesterApi, shownRun: RunState | undefined, { notify, onError }: ReportExportCallbacks) {
  const [format, setFormat] = useState<ReportFormat>('html');

  const exportReport = useCallback(
    async (runFile: string | undefined, compareWith?: string) => {
      if (!runFile) {
        notify(shownRun?.record ? 'The run is still being saved; try again in a moment.' : 'Nothing to export yet: run the plan, or show a run from the history.');
        return;
      }
      try {
        const written = await api.exportReport({ runFile, format, ...(compareWith ? { compareWith } : {}) });
        if (written) notify(`Report written to ${written.path}.`);
      } catch (error) {
        onError(`Could not export the report: ${(error as Error).message}`);
      }
    },
    [api, shownRun, notify, onError, format],
  );
  const exportShownRun = useCallback(() => void exportReport(shownRun?.file), [shownRun, exportReport]);

  return { format, setFormat, exportReport, exportShownRun };
}
