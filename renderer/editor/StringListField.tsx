// A list of strings in the plan (domains, accounts, addresses), one input per entry; an optional check runs as the
// user types and shows its error or its advice under the entry.
import { useEffect, useRef, useState } from 'react';
import { listAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, fieldState, messagesId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

export interface EntryCheck {
  error?: string;
  hint?: string;
}

export interface StringListFieldProps {
  editing: PlanEditing;
  path: readonly PathKey[];
  label: string;
  /** Names one entry, e.g. "relay host". */
  itemLabel: string;
  placeholder?: string;
  hint?: string;
  check?: (text: string) => EntryCheck;
  /** Whose list this is when the page has several alike, e.g. the server's name: added to every accessible name. */
  context?: string;
  /** Replaces setting the entry's text, e.g. to rename an account everywhere it is named. */
  setItem?: (index: number, text: string) => void;
}

export function StringListField({
  editing,
  path,
  label,
  itemLabel,
  placeholder,
  hint,
  check,
  context,
  setItem,
}: StringListFieldProps) {
  const items = listAt(editing.plan, path);
  const of = context ? ` of ${context}` : '';
  const at = pathText(path);
  const id = fieldId(path);
  const [focusIndex, setFocusIndex] = useState<number | undefined>(undefined);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);

  useEffect(() => {
    if (focusIndex === undefined) return;
    inputs.current[focusIndex]?.focus();
    setFocusIndex(undefined);
  }, [focusIndex]);

  return (
    <fieldset className="list-field" data-path={at} aria-describedby={fieldState(editing, at).aria['aria-describedby']}>
      <legend id={`${id}-legend`}>
        {label}
        {context ? <span className="visually-hidden">{of}</span> : null}
      </legend>
      {hint ? <div className="field-hint">{hint}</div> : null}
      {items.length === 0 ? <div className="field-hint">(none)</div> : null}
      <ol className="entries">
        {items.map((item, index) => {
          const itemPath = [...path, index];
          const itemAt = pathText(itemPath);
          const text = typeof item === 'string' ? item : JSON.stringify(item);
          const result = check?.(text);
          const noteId = fieldId(itemPath, 'note');
          const state = fieldState(editing, itemAt);
          const invalid = !!result?.error || state.invalid;
          // The check's own error is not repeated underneath; only then do the messages go unshown.
          const shown =
            (editing.warnings ?? []).some((warning) => warning.path === itemAt) ||
            editing.problems.some((problem) => problem.path === itemAt && problem.message !== result?.error);
          const describedBy = [result ? noteId : undefined, shown ? messagesId(itemAt) : undefined]
            .filter(Boolean)
            .join(' ');
          return (
            <li key={index} className="entry">
              <div className="entry-line">
                <input
                  ref={(element) => {
                    inputs.current[index] = element;
                  }}
                  type="text"
                  data-path={itemAt}
                  aria-label={`${itemLabel} ${index + 1}${of}`}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy || undefined}
                  value={text}
                  placeholder={placeholder}
                  disabled={editing.disabled}
                  spellCheck={false}
                  onChange={(event) =>
                    setItem ? setItem(index, event.target.value) : editing.set(itemPath, event.target.value)
                  }
                />
                <button
                  type="button"
                  className="remove"
                  disabled={editing.disabled}
                  aria-label={`Remove ${itemLabel} ${index + 1}${of}`}
                  onClick={() => editing.remove(itemPath)}
                >
                  ✕
                </button>
              </div>
              {result ? (
                <div id={noteId} className="entry-note">
                  {result.error ? <div className="field-error">{result.error}</div> : null}
                  {result.hint ? <div className="field-hint">{result.hint}</div> : null}
                </div>
              ) : null}
              <FieldProblems
                problems={editing.problems}
                warnings={editing.warnings}
                path={itemAt}
                except={result?.error}
              />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="add"
        disabled={editing.disabled}
        aria-label={context ? `+ Add ${itemLabel}${of}` : undefined}
        onClick={() => {
          editing.set(itemPath(path, items.length), '');
          setFocusIndex(items.length);
        }}
      >
        + Add {itemLabel}
      </button>
      <FieldProblems problems={editing.problems} warnings={editing.warnings} path={at} />
    </fieldset>
  );
}

function itemPath(path: readonly PathKey[], index: number): PathKey[] {
  return [...path, index];
}
