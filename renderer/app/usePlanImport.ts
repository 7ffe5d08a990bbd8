// Opening a plan file from anywhere: one picked with the Open dialog's file input or dropped onto the window is
// copied into the workspace by the core (importPlan, never over an existing file) and opened from there, so runs
// and saves go where every other plan's go. A copy with problems opens in the editor, which lists them.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { PLAN_LIMITS } from '../../shared/plan.js';
import { makeVisible } from '../../shared/text.js';
import { notify, reportError, type AppAction } from './appState.js';

/** `confirmDiscard` asks before unsaved changes are replaced (false: the user kept them). */
export function usePlanImport(
  api: RelayTesterApi,
  dispatch: Dispatch<AppAction>,
  confirmDiscard: (doing: string) => boolean,
) {
  return useCallback(
    async (file: File) => {
      // The name comes from someone else's disk: shown with its control characters visible.
      const name = makeVisible(file.name);
      if (!confirmDiscard(`open ${name}`)) return;
      dispatch({ type: 'dialog', dialog: undefined });
      if (file.size > PLAN_LIMITS.maxBytes) {
        dispatch(
          reportError(
            `Could not open ${name}: it is ${file.size} bytes; plans are limited to ${PLAN_LIMITS.maxBytes}.`,
          ),
        );
        return;
      }
      try {
        const opened = await api.importPlan({ fileName: file.name, text: await file.text() });
        dispatch({ type: 'document-loaded', document: opened });
        dispatch(
          opened.problems?.length
            ? reportError(
                `Copied ${name} to ${opened.path}: it has ${opened.problems.length} problem(s) to fix in the Plan tab.`,
              )
            : notify(`Copied ${name} to ${opened.path} and opened it.`),
        );
      } catch (error) {
        dispatch(reportError(`Could not open ${name}: ${errorMessage(error)}`));
      }
    },
    [api, dispatch, confirmDiscard],
  );
}

/** Files dragged onto the window: true while a drag with files is over it; a drop hands the first file over. */
export function useFileDrop(onFile: (file: File) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;
    function enter(event: DragEvent) {
      if (!carriesFiles(event)) return;
      depth.current++;
      setDragging(true);
    }
    function leave(event: DragEvent) {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    }
    function over(event: DragEvent) {
      // Without this the browser would navigate to the dropped file.
      if (carriesFiles(event)) event.preventDefault();
    }
    function drop(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) onFile(file);
    }
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFile]);
  return dragging;
}
