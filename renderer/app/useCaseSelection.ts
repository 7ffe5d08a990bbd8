// Which case of the matrix is selected (its transcript is shown), and whether the selection follows the running
// case. The terminal's controls are here so opening a case can move the focus into its transcript.
import { useCallback, useRef, useState } from 'react';
import type { TerminalControls } from '../transcript/terminalView.js';

export function useCaseSelection() {
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const terminalControls = useRef<TerminalControls | null>(null);
  const followRef = useRef(follow);
  followRef.current = follow;

  /** A case started: "follow the running test" moves there. */
  const followCase = useCallback((caseId: string) => {
    if (followRef.current) setSelectedId(caseId);
  }, []);

  /** Chosen by hand; during a run that means "stay here". */
  const choose = useCallback((caseId: string, duringRun: boolean) => {
    setSelectedId(caseId);
    if (duringRun && followRef.current) setFollow(false);
  }, []);

  const openTranscript = useCallback((caseId: string) => {
    setSelectedId(caseId);
    terminalControls.current?.focus();
  }, []);

  const clear = useCallback(() => setSelectedId(undefined), []);

  return { selectedId, follow, setFollow, followCase, choose, openTranscript, clear, terminalControls };
}
