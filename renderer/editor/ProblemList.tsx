// Plan problems and warnings in plain words: beside their field (FieldProblems, tied to its control by
// aria-describedby) and all together (ProblemSummary), where each names its field and focuses it.
import type { PlanProblem } from '../../shared/plan.js';
import type { PlanWarning } from '../../shared/planWarnings.js';
import { describePath, problemsAt } from '../plan/problems.js';
import { messagesId } from './planEditing.js';

/** A message as a sentence: checkPlan's may start in lower case ("must be a domain name…"). */
export function sentence(message: string): string {
  return message.replace(/^[a-z]/, (first) => first.toUpperCase());
}

export function FieldProblems({
  problems,
  warnings = [],
  path,
  id,
  except,
}: {
  problems: readonly PlanProblem[];
  warnings?: readonly PlanWarning[] | undefined;
  path: string;
  id?: string;
  except?: string;
}) {
  const here = problemsAt(problems, path).filter((problem) => problem.message !== except);
  const warned = problemsAt(warnings, path);
  if (here.length === 0 && warned.length === 0) return null;
  return (
    <ul className="field-problems" id={id ?? messagesId(path)}>
      {here.map((problem, index) => (
        <li key={`p${index}`} className="field-problem">
          {sentence(problem.message)}
        </li>
      ))}
      {warned.map((warning, index) => (
        <li key={`w${index}`} className="field-warning">
          <strong>Warning:</strong> {sentence(warning.message)}
        </li>
      ))}
    </ul>
  );
}

function SummaryItem({ item, plan, onShow }: { item: PlanProblem; plan: unknown; onShow: (path: string) => void }) {
  return (
    <>
      <button type="button" className="link-button" onClick={() => onShow(item.path)}>
        {describePath(plan, item.path)}
      </button>
      : {sentence(item.message)}
    </>
  );
}

export function ProblemSummary({
  problems,
  warnings = [],
  plan,
  onShow,
}: {
  problems: readonly PlanProblem[];
  warnings?: readonly PlanWarning[] | undefined;
  plan?: unknown;
  onShow: (path: string) => void;
}) {
  if (problems.length === 0 && warnings.length === 0) {
    return (
      <p className="plan-ok" role="status">
        ✔ The plan is valid.
      </p>
    );
  }
  return (
    <div role="status">
      {problems.length > 0 ? (
        <div className="problem-summary">
          <p>
            {problems.length} problem{problems.length === 1 ? '' : 's'} to fix before the plan can run or be saved:
          </p>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>
                <SummaryItem item={problem} plan={plan} onShow={onShow} />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="plan-ok">✔ The plan is valid and can run.</p>
      )}
      {warnings.length > 0 ? (
        <div className="warning-summary">
          <p>
            <strong>Warning:</strong> {warnings.length} setting{warnings.length === 1 ? '' : 's'} to check (the plan can
            still run):
          </p>
          <ul>
            {warnings.map((warning, index) => (
              <li key={index}>
                <SummaryItem item={warning} plan={plan} onShow={onShow} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
