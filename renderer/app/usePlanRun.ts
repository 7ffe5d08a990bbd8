// Running the open plan: a plan with problems is sent back to the editor, a started run is followed in the matrix,
// and its end is announced.
import { useCallback, useRef } from 'react';
import { headline } from '../../shared/coverage.js';
import type { ConsentQuestion, RelayTesterApi } from '../../shared/ipc.js';
import type { ConsentAnswer } from '../dialogs/PasswordConsentDialog.js';
import type { Inspection } from './useInspection.js';
import type { OpenDocument } from './usePlanDocument.js';
import { useRunController } from './useRunController.js';

export interface PlanRunCallbacks {
  notify(text: string): void;
  onError(message: string): void;
  /** A case started (see RunCallbacks.onCaseStarted). */
  onCaseStarted(caseId: string): void;
  /** The finished run is in the history now. */
  onSaved(): void;
  /** The run is about to start: its matrix should be shown. */
  onStart(): void;
  /** The plan editor should be shown (the plan has problems). */
  showPlan(): void;
  /** See RunCallbacks.askConsent. */
  askConsent(question: ConsentQuestion): Promise<ConsentAnswer[] | undefined>;
}

export function usePlanRun(api: RelayTesterApi, doc: OpenDocument | undefined, inspection: Inspection, callbacks: PlanRunCallbacks) {
  const latest = useRef(callbacks);
  latest.current = callbacks;

  const runner = useRunController(api, {
    onCaseStarted(caseId) {
      latest.current.onCaseStarted(caseId);
    },
    onFinished(run) {
      if (run.failure) {
        latest.current.onError(`The run failed: ${run.failure}`);
        return;
      }
      // A cancelled run's headline already starts with "Cancelled:".
      const said = run.record ? headline(run.record) : '';
      latest.current.notify(`${run.record?.cancelled ? said : `Run finished${said ? `: ${said}` : ''}`}. It is saved in the history.`);
    },
    onSaved() {
      latest.current.onSaved();
    },
    onError(message) {
      latest.current.onError(message);
    },
    askConsent(question) {
      return latest.current.askConsent(question);
    },
  });

  const runPlan = useCallback(async () => {
    if (!doc || runner.running) return;
    if (!inspection.check.ok) {
      latest.current.onError(`The plan has ${inspection.problems.length} problem(s) to fix before it can run.`);
      latest.current.showPlan();
      return;
    }
    latest.current.onStart();
    const problems = await runner.start(doc.plan, { documentKey: doc.key, revision: doc.revision, ...(doc.path ? { planPath: doc.path } : {}) });
    if (problems) {
      latest.current.onError(`The core refused the plan: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
      latest.current.showPlan();
    }
  }, [doc, inspection, runner]);

  return { run: runner.run, running: runner.running, cancel: runner.cancel, runPlan };
}
