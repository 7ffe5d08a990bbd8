// Exporting a finished run (or a comparison of two) as an HTML or PDF report, from its saved run file. The browser
// offers the report as a download; the desktop app writes it where its save dialog points and can show it there.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useState, type Dispatch } from 'react';
import type { AppInfo, RelayTesterApi } from '../../shared/ipc.js';
import type { RunState } from '../run/runState.js';
import { notify, reportError, type AppAction } from './appState.js';
import type { ReportFormat } from './Toolbar.js';
import { offerDownload } from './offerDownload.js';

/** `shownRun` is the run the matrix shows: the one the toolbar's Export report writes. */
export function useReportExport(
  api: RelayTesterApi,
  shownRun: RunState | undefined,
  dispatch: Dispatch<AppAction>,
  face?: AppInfo['face'],
) {
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
      const request = { runFile, format, ...(compareWith ? { compareWith } : {}) };
      try {
        if (face === 'browser') {
          const report = await api.downloadReport(request);
          offerDownload(report);
          dispatch(notify(`Report ${report.fileName} offered as a download.`));
          return;
        }
        const written = await api.exportReport(request);
        if (written)
          dispatch({ type: 'notice', text: `Report written to ${written.path}.`, kind: 'info', reveal: written.path });
      } catch (error) {
        dispatch(reportError(`Could not export the report: ${errorMessage(error)}`));
      }
    },
    [api, shownRun, dispatch, format, face],
  );
  const exportShownRun = useCallback(() => void exportReport(shownRun?.file), [shownRun, exportReport]);

  const revealFile = useCallback(
    async (file: string) => {
      try {
        await api.revealFile({ path: file });
      } catch (error) {
        dispatch(reportError(`Could not show ${file} in its folder: ${errorMessage(error)}`));
      }
    },
    [api, dispatch],
  );

  return { format, setFormat, exportReport, exportShownRun, revealFile };
}
