// A list of strings in the plan (domains, accounts, addresses), one input per entry; an optional check runs as the
// user types and shows its error or its advice under the entry.
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { listAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, fieldState, messagesId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

/** A list longer than COLLAPSE_ABOVE shows its first SHOWN_ENTRIES entries and a button for the rest: the
 * 5,000-case plan's editor would otherwise render about 1,000 inputs at once (docs/large-plans.md). */
export const COLLAPSE_ABOVE = 20;
export const SHOWN_ENTRIES = 15;

/** Sent to a collapsed list's fieldset to show all its entries at once (focusField, to reach a hidden entry). */
export const EXPAND_EVENT = 'relay-tester-expand-entries';

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
  const fieldset = useRef<HTMLFieldSetElement | null>(null);
  const [expanded, setExpanded] = useState(false);
  const hidden = expanded || items.length <= COLLAPSE_ABOVE ? 0 : items.length - SHOWN_ENTRIES;
  const shownItems = hidden > 0 ? items.slice(0, SHOWN_ENTRIES) : items;

  useEffect(() => {
    const element = fieldset.current;
    if (!element) return;
    // Synchronous, so that the caller finds the entry in the document as soon as the event returns.
    const expand = () => flushSync(() => setExpanded(true));
    element.addEventListener(EXPAND_EVENT, expand);
    return () => element.removeEventListener(EXPAND_EVENT, expand);
  }, []);

  useEffect(() => {
    if (focusIndex === undefined) return;
    inputs.current[focusIndex]?.focus();
    setFocusIndex(undefined);
  }, [focusIndex]);

  return (
    <fieldset
      ref={fieldset}
      className="list-field"
      data-path={at}
      data-hidden-entries={hidden > 0 ? hidden : undefined}
      aria-describedby={fieldState(editing, at).aria['aria-describedby']}
    >
      <legend id={`${id}-legend`}>
        {label}
        {context ? <span className="visually-hidden">{of}</span> : null}
      </legend>
      {hint ? <div className="field-hint">{hint}</div> : null}
      {items.length === 0 ? <div className="field-hint">(none)</div> : null}
      <ol className="entries">
        {shownItems.map((item, index) => {
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
      {hidden > 0 ? (
        <button type="button" className="show-all" onClick={() => setExpanded(true)}>
          Show all {items.length} entries ({hidden} hidden)
          {context ? <span className="visually-hidden">{of}</span> : null}
        </button>
      ) : null}
      <button
        type="button"
        className="add"
        disabled={editing.disabled}
        aria-label={context ? `+ Add ${itemLabel}${of}` : undefined}
        onClick={() => {
          editing.set(itemPath(path, items.length), '');
          setExpanded(true);
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
