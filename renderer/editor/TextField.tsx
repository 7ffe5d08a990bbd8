// One text (or number) field of the plan, with its problems and warnings underneath, tied to the input.
import { textAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, fieldState, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

export interface TextFieldProps {
  editing: PlanEditing;
  path: readonly PathKey[];
  label: string;
  /** The name a screen reader gives the input when the visible label is not unique on the page, e.g. "Host of
   * SMTP Relay Virtual Server". It starts with the visible label, so speech input still finds it. */
  accessibleName?: string;
  hint?: string;
  placeholder?: string;
  /** Empty text removes the key (for optional fields, so the plan file stays as the user wrote it). */
  optional?: boolean;
  numeric?: boolean;
}

export function TextField({
  editing,
  path,
  label,
  accessibleName,
  hint,
  placeholder,
  optional,
  numeric,
}: TextFieldProps) {
  const id = fieldId(path);
  const at = pathText(path);
  const { aria } = fieldState(editing, at, hint ? `${id}-hint` : undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-path={at}
        type="text"
        inputMode={numeric ? 'decimal' : undefined}
        value={textAt(editing.plan, path)}
        placeholder={placeholder}
        disabled={editing.disabled}
        aria-label={accessibleName}
        {...aria}
        spellCheck={false}
        onChange={(event) => {
          const text = event.target.value;
          if (text === '' && optional) editing.set(path, undefined);
          else if (numeric && /^\d+(\.\d+)?$/.test(text)) editing.set(path, Number(text));
          else editing.set(path, text);
        }}
      />
      {hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <FieldProblems problems={editing.problems} warnings={editing.warnings} path={at} />
    </div>
  );
}
