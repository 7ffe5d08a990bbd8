// The question "send these passwords to these new servers?" as a promise: the run controller awaits it, the app
// shows the dialog while it is open. Closing the dialog answers undefined (nothing runs).
import { useCallback, useRef, useState } from 'react';
import type { ConsentQuestion } from '../../shared/ipc.js';
import type { ConsentAnswer } from '../dialogs/PasswordConsentDialog.js';

export function usePasswordConsent() {
  const [question, setQuestion] = useState<ConsentQuestion | undefined>();
  const pending = useRef<((answers: ConsentAnswer[] | undefined) => void) | undefined>(undefined);

  const ask = useCallback((asked: ConsentQuestion) => {
    pending.current?.(undefined);
    setQuestion(asked);
    return new Promise<ConsentAnswer[] | undefined>((resolve) => (pending.current = resolve));
  }, []);

  const settle = useCallback((answers: ConsentAnswer[] | undefined) => {
    const resolve = pending.current;
    pending.current = undefined;
    setQuestion(undefined);
    resolve?.(answers);
  }, []);

  return { question, ask, answer: settle, close: useCallback(() => settle(undefined), [settle]) };
}
