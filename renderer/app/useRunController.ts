// Running the open plan: a plan with problems is sent back to the editor; otherwise startRun (asking for consent
// when the core needs it), cancelRun, and the runProgress stream of this window's run, all dispatched to appState.
// Progress that arrives before startRun has answered with the run id is kept and applied once the id is known;
// progress of other runs is ignored.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import { headline } from '../../shared/coverage.js';
import type { CommandRequest, ConsentQuestion, RelayTesterApi } from '../../shared/ipc.js';
import type { RunProgress } from '../../shared/run.js';
import type { ConsentAnswer } from '../dialogs/PasswordConsentDialog.js';
import type { RunOrigin, RunState } from '../run/runState.js';
import { notify, reportError, type AppAction, type OpenDocument } from './appState.js';
import type { Inspection } from './useInspection.js';

/** The run would send kept passwords to servers they are not bound to: the user's answers, or undefined to not
 * run at all. */
export type AskConsent = (question: ConsentQuestion) => Promise<ConsentAnswer[] | undefined>;

/** How often the core may ask again (the passwords to send changed while the user answered) before giving up. */
const CONSENT_ROUNDS = 2;

export function useRunController(
  api: RelayTesterApi,
  doc: OpenDocument | undefined,
  inspection: Inspection,
  run: RunState | undefined,
  dispatch: Dispatch<AppAction>,
  askConsent: AskConsent,
) {
  const runId = useRef<string | undefined>(undefined);
  const starting = useRef(false);
  const early = useRef<RunProgress[]>([]);

  useEffect(
    () =>
      api.on('runProgress', (batch) => {
        if (!Array.isArray(batch)) return;
        if (starting.current && !runId.current) early.current.push(...batch);
        else if (runId.current) dispatch({ type: 'run-progress', runId: runId.current, batch });
      }),
    [api, dispatch],
  );

  // The end of a run is announced once; a saved run is in the history now.
  const announced = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!run || run.phase !== 'finished' || announced.current === run.runId) return;
    announced.current = run.runId;
    if (run.failure) {
      dispatch(reportError(`The run failed: ${run.failure}`));
      return;
    }
    // A cancelled run's headline already starts with "Cancelled:".
    const said = run.record ? headline(run.record) : '';
    dispatch(
      notify(`${run.record?.cancelled ? said : `Run finished${said ? `: ${said}` : ''}`}. It is saved in the history.`),
    );
    if (run.file) dispatch({ type: 'run-saved' });
  }, [run, dispatch]);

  const start = useCallback(
    async (plan: unknown, origin: RunOrigin, caseIds?: readonly string[]) => {
      const { planPath } = origin;
      starting.current = true;
      runId.current = undefined;
      early.current = [];
      dispatch({ type: 'run-starting', origin });
      try {
        const request: CommandRequest<'startRun'> = {
          plan,
          ...(planPath ? { planPath } : {}),
          ...(caseIds ? { caseIds: [...caseIds] } : {}),
        };
        let answer = await api.startRun(request);
        for (let round = 0; 'consentNeeded' in answer; round += 1) {
          if (round === CONSENT_ROUNDS)
            throw new Error('the passwords this run would send changed while you answered; run it again');
          const answers = await askConsent(answer.consentNeeded);
          if (!answers) {
            dispatch({ type: 'run-not-started' });
            return;
          }
          answer = await api.startRun({
            ...request,
            consent: { ticket: answer.consentNeeded.ticket, decisions: answers },
          });
        }
        if ('problems' in answer) {
          dispatch({ type: 'run-not-started' });
          const problems = answer.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
          dispatch(reportError(`The core refused the plan: ${problems}`));
          dispatch({ type: 'tab', tab: 'plan' });
          return;
        }
        const id = answer.runId;
        runId.current = id;
        dispatch({ type: 'run-started', runId: id, origin });
        const waiting = early.current.filter((item) => item.runId === id);
        early.current = [];
        if (waiting.length > 0) dispatch({ type: 'run-progress', runId: id, batch: waiting });
      } catch (error) {
        dispatch({ type: 'run-not-started' });
        dispatch(reportError(`Could not start the run: ${errorMessage(error)}`));
      } finally {
        starting.current = false;
      }
    },
    [api, askConsent, dispatch],
  );

  const running = run !== undefined && run.phase !== 'finished';

  /** Runs the plan, or only the cases given ("run this case", "re-run failed"). */
  const runPlan = useCallback(
    async (caseIds?: readonly string[]) => {
      if (!doc || running || starting.current) return;
      if (!inspection.check.ok) {
        dispatch(reportError(`The plan has ${inspection.problems.length} problem(s) to fix before it can run.`));
        dispatch({ type: 'tab', tab: 'plan' });
        return;
      }
      await start(
        doc.plan,
        {
          documentKey: doc.key,
          revision: doc.revision,
          ...(doc.path ? { planPath: doc.path } : {}),
        },
        caseIds,
      );
    },
    [doc, running, inspection, start, dispatch],
  );

  const cancel = useCallback(async () => {
    const id = runId.current;
    if (!id || !run || run.phase === 'finished') return;
    dispatch({ type: 'cancel-requested' });
    try {
      await api.cancelRun({ runId: id });
    } catch (error) {
      dispatch(reportError(`Could not cancel the run: ${errorMessage(error)}`));
    }
  }, [api, run, dispatch]);

  return { running, runPlan, cancel };
}
