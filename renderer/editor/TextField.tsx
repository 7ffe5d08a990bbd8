// One text (or number) field of the plan, with the problems about its path underneath.
import { textAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

export interface TextFieldProps {
  editing: PlanEditing;
  path: readonly PathKey[];
  label: string;
  hint?: string;
  placeholder?: string;
  /** Empty text removes the key (for optional fields, so the plan file stays as the user wrote it). */
  optional?: boolean;
  numeric?: boolean;
}

export function TextField({ editing, path, label, hint, placeholder, optional, numeric }: TextFieldProps) {
  const id = fieldId(path);
  const at = pathText(path);
  const hasProblem = editing.problems.some((problem) => problem.path === at);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-path={at}
        type="text"
        inputMode={numeric ? 'numeric' : undefined}
        value={textAt(editing.plan, path)}
        placeholder={placeholder}
        disabled={editing.disabled}
        aria-invalid={hasProblem || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        spellCheck={false}
        onChange={(event) => {
          const text = event.target.value;
          if (text === '' && optional) editing.set(path, undefined);
          else if (numeric && /^\d+$/.test(text)) editing.set(path, Number(text));
          else editing.set(path, text);
        }}
      />
      {hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <FieldProblems problems={editing.problems} path={at} />
    </div>
  );
}
