// Plan problems with their JSON path: beside a field (FieldProblems) and all together (ProblemSummary).
import type { PlanProblem } from '../../shared/plan.js';
import { problemsAt } from '../plan/problems.js';

export function FieldProblems({
  problems,
  path,
  id,
  except,
}: {
  problems: readonly PlanProblem[];
  path: string;
  id?: string;
  except?: string;
}) {
  const here = problemsAt(problems, path).filter((problem) => problem.message !== except);
  if (here.length === 0) return null;
  return (
    <ul className="field-problems" id={id}>
      {here.map((problem, index) => (
        <li key={index}>
          <code>{problem.path}</code> {problem.message}
        </li>
      ))}
    </ul>
  );
}

export function ProblemSummary({
  problems,
  onShow,
}: {
  problems: readonly PlanProblem[];
  onShow: (path: string) => void;
}) {
  if (problems.length === 0) {
    return (
      <p className="plan-ok" role="status">
        ✔ The plan is valid.
      </p>
    );
  }
  return (
    <div className="problem-summary" role="status">
      <p>
        {problems.length} problem{problems.length === 1 ? '' : 's'} to fix before the plan can run or be saved:
      </p>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>
            <button type="button" className="link-button" onClick={() => onShow(problem.path)}>
              <code>{problem.path}</code>
            </button>{' '}
            {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
