// Starting and cancelling a run, and following its progress events. Progress that arrives before startRun has
// answered with the run id is kept and applied once the id is known; progress of other runs is ignored.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandRequest, ConsentQuestion, RelayTesterApi } from '../../shared/ipc.js';
import type { ConsentAnswer } from '../dialogs/PasswordConsentDialog.js';
import type { PlanProblem } from '../../shared/plan.js';
import type { RunProgress } from '../../shared/run.js';
import { applyProgress, startedCases, startingRun, type RunOrigin, type RunState } from '../run/runState.js';

export interface RunCallbacks {
  /** A case started (the last of a batch): "follow the running test" moves there. */
  onCaseStarted(caseId: string): void;
  onFinished(run: RunState): void;
  /** The finished run's file is known (it is in the history now). */
  onSaved(file: string): void;
  onError(message: string): void;
  /** The run would send kept passwords to servers they are not bound to: the user's answers, or undefined to not
   * run at all. */
  askConsent(question: ConsentQuestion): Promise<ConsentAnswer[] | undefined>;
}

/** How often the core may ask again (the passwords to send changed while the user answered) before giving up. */
const CONSENT_ROUNDS = 2;

export function useRunController(api: RelayTesterApi, callbacks: RunCallbacks) {
  const [run, setRun] = useState<RunState | undefined>(undefined);
  const runId = useRef<string | undefined>(undefined);
  const starting = useRef(false);
  const early = useRef<RunProgress[]>([]);
  const latest = useRef(callbacks);
  latest.current = callbacks;

  const apply = useCallback((batch: readonly RunProgress[]) => {
    const id = runId.current;
    if (!id) return;
    setRun((state) => (state && state.runId === id ? applyProgress(state, batch) : state));
    const started = startedCases(id, batch);
    const last = started[started.length - 1];
    if (last) latest.current.onCaseStarted(last);
  }, []);

  const announced = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!run || run.phase !== 'finished' || announced.current === run.runId) return;
    announced.current = run.runId;
    latest.current.onFinished(run);
    if (run.file) latest.current.onSaved(run.file);
  }, [api, run]);

  useEffect(
    () =>
      api.on('runProgress', (batch) => {
        if (!Array.isArray(batch)) return;
        if (starting.current && !runId.current) early.current.push(...batch);
        else apply(batch);
      }),
    [api, apply],
  );

  const start = useCallback(
    async (plan: unknown, origin: RunOrigin): Promise<PlanProblem[] | undefined> => {
      const { planPath } = origin;
      if (starting.current || (run && run.origin === 'live' && run.phase !== 'finished')) return undefined;
      starting.current = true;
      runId.current = undefined;
      early.current = [];
      setRun(startingRun('', origin));
      try {
        const request: CommandRequest<'startRun'> = planPath ? { plan, planPath } : { plan };
        let answer = await api.startRun(request);
        for (let round = 0; 'consentNeeded' in answer; round += 1) {
          if (round === CONSENT_ROUNDS) throw new Error('the passwords this run would send changed while you answered; run it again');
          const answers = await latest.current.askConsent(answer.consentNeeded);
          if (!answers) {
            setRun(undefined);
            return undefined;
          }
          answer = await api.startRun({ ...request, consent: { ticket: answer.consentNeeded.ticket, decisions: answers } });
        }
        if ('problems' in answer) {
          setRun(undefined);
          return answer.problems;
        }
        runId.current = answer.runId;
        setRun(startingRun(answer.runId, origin));
        const waiting = early.current.filter((item) => item.runId === answer.runId);
        early.current = [];
        if (waiting.length > 0) apply(waiting);
        return undefined;
      } catch (error) {
        setRun(undefined);
        latest.current.onError(`Could not start the run: ${(error as Error).message}`);
        return undefined;
      } finally {
        starting.current = false;
      }
    },
    [api, apply, run],
  );

  const cancel = useCallback(async () => {
    const id = runId.current;
    if (!id || !run || run.phase === 'finished') return;
    setRun((state) => (state ? { ...state, cancelRequested: true } : state));
    try {
      await api.cancelRun({ runId: id });
    } catch (error) {
      latest.current.onError(`Could not cancel the run: ${(error as Error).message}`);
    }
  }, [api, run]);

  const running = run !== undefined && run.phase !== 'finished';
  return { run, running, start, cancel };
}
