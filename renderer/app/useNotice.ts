// The latest message of the window, with a serial that tells two equal messages in a row apart.
import { useCallback, useState } from 'react';
import type { Notice } from './NoticeBar.js';

export function useNotice() {
  const [notice, setNotice] = useState<Notice | undefined>();

  const notify = useCallback((text: string, kind: Notice['kind'] = 'info') => {
    setNotice((previous) => ({ text, kind, serial: (previous?.serial ?? 0) + 1 }));
  }, []);
  const reportError = useCallback((text: string) => notify(text, 'error'), [notify]);
  const dismiss = useCallback(() => setNotice(undefined), []);

  return { notice, notify, reportError, dismiss };
}
