// The matrix as a compact list: one line per case, with filter, search, sort and "failures first". Arrow keys
// move the selection, Enter opens its transcript. Nothing here changes the plan: expectations are shown as text
// and overridden through the case's "Override expectation…" dialog.
import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { GROUP_LABELS, MATRIX_GROUPS, type MatrixGroup } from '../../shared/matrixGroups.js';
import { VERDICTS } from '../../shared/verdict.js';
import { formatDuration, type CaseRow } from './caseRows.js';
import { CaseVerdict } from './CaseVerdict.js';
import {
  columnText,
  EXPECTATION_TEXT,
  LIST_COLUMN_LABELS,
  LIST_COLUMNS,
  listRows,
  type ListColumn,
  type ListOptions,
  type VerdictFilter,
} from './listView.js';
import { useWindowedRows } from './useWindowedRows.js';

export interface MatrixTableProps {
  rows: readonly CaseRow[];
  selectedId?: string;
  onSelect: (caseId: string, how: 'pointer' | 'keyboard') => void;
  onOpen: (caseId: string) => void;
  /** Each case's group (shared/matrixGroups.ts). */
  groups: ReadonlyMap<string, MatrixGroup>;
  /** Ids of cases whose expectation the plan overrides. */
  overrides: ReadonlySet<string>;
  options: ListOptions;
  onOptions: (options: ListOptions) => void;
}

/** The row height in rem, as matrix.css sets it (windowing relies on it being exact). */
const ROW_REM = 2;
/** Column widths in rem (fixed table layout: rows in and out of the window never change them); the note takes
 * the rest. */
const COLUMN_REM: Record<string, number> = {
  result: 9,
  expected: 10,
  group: 12,
  case: 9,
  server: 11,
  source: 8.5,
  recipient: 7,
  time: 4.5,
};

export function MatrixTable(props: MatrixTableProps) {
  const { rows, selectedId, onSelect, onOpen, groups, options, onOptions } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const focusNext = useRef(false);
  const shown = useMemo(() => listRows(rows, groups, options), [rows, groups, options]);
  const servers = useMemo(() => [...new Set(rows.map((row) => row.testCase.server))], [rows]);
  const presentGroups = useMemo(() => MATRIX_GROUPS.filter((group) => [...groups.values()].includes(group)), [groups]);
  const windowed = useWindowedRows(shown.length, scroller, () => ROW_REM);

  // After a keyboard move, focus the selected row once it is rendered (windowing may need a scroll first).
  useEffect(() => {
    if (!focusNext.current || !selectedId) return;
    const row = [...(table.current?.querySelectorAll<HTMLElement>('tr[data-case-id]') ?? [])].find(
      (candidate) => candidate.dataset.caseId === selectedId,
    );
    if (!row) return;
    focusNext.current = false;
    row.focus({ preventScroll: true });
    (row.firstElementChild as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  });

  function move(from: number, to: number) {
    const index = Math.max(0, Math.min(shown.length - 1, to));
    const target = shown[index];
    if (!target || index === from) return;
    focusNext.current = true;
    windowed.scrollTo(index);
    onSelect(target.testCase.id, 'keyboard');
  }

  // Rows are memoised: they get one stable handler that calls the latest onKeyDown.
  const latestKeyDown = useRef(onKeyDown);
  latestKeyDown.current = onKeyDown;
  const stableKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>, index: number, caseId: string) =>
      latestKeyDown.current(event, index, caseId),
    [],
  );

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, caseId: string) {
    if (event.target !== event.currentTarget) return;
    const page = 10;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: shown.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      move(index, to);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(caseId, 'keyboard');
      onOpen(caseId);
    }
  }

  function sortBy(column: ListColumn) {
    const descending = options.sort?.column === column ? !options.sort.descending : false;
    onOptions({ ...options, sort: { column, descending } });
  }

  const focusable =
    selectedId && shown.some((row) => row.testCase.id === selectedId) ? selectedId : shown[0]?.testCase.id;
  const filtered = shown.length !== rows.length;

  return (
    <>
      <div className="list-filters" role="search" aria-label="Filter the cases">
        <label>
          Result{' '}
          <select
            value={options.verdict}
            onChange={(event) => onOptions({ ...options, verdict: event.target.value as VerdictFilter })}
          >
            <option value="all">all</option>
            <option value="problems">to look at: fail, error, review, inconclusive</option>
            <option value="not-run">not run</option>
            {VERDICTS.map((verdict) => (
              <option key={verdict} value={verdict}>
                {verdict}
              </option>
            ))}
          </select>
        </label>
        <label>
          Server{' '}
          <select value={options.server} onChange={(event) => onOptions({ ...options, server: event.target.value })}>
            <option value="all">all</option>
            {servers.map((server) => (
              <option key={server} value={server}>
                {server}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group{' '}
          <select
            value={options.group}
            onChange={(event) => onOptions({ ...options, group: event.target.value as MatrixGroup | 'all' })}
          >
            <option value="all">all</option>
            {presentGroups.map((group) => (
              <option key={group} value={group}>
                {GROUP_LABELS[group]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search{' '}
          <input
            type="search"
            value={options.search}
            onChange={(event) => onOptions({ ...options, search: event.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.failuresFirst}
            onChange={(event) => onOptions({ ...options, failuresFirst: event.target.checked })}
          />{' '}
          Failures first
        </label>
        <span className="list-count" role="status">
          {filtered ? `${shown.length} of ${rows.length} cases` : `${rows.length} cases`}
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="empty">No cases: the plan has problems to fix first, or nothing to test.</p>
      ) : (
        <div className="matrix-scroll" ref={scroller}>
          <table className="matrix matrix-list" aria-label="Test matrix" aria-rowcount={shown.length + 1} ref={table}>
            <colgroup>
              {LIST_COLUMNS.map((column) => (
                <col key={column} style={{ width: `${COLUMN_REM[column]}rem` }} />
              ))}
              <col style={{ width: '16rem' }} />
            </colgroup>
            <thead>
              <tr aria-rowindex={1}>
                {LIST_COLUMNS.map((column) => {
                  const sorted = options.sort?.column === column;
                  return (
                    <th
                      key={column}
                      scope="col"
                      className={`col-${column}`}
                      aria-sort={sorted ? (options.sort!.descending ? 'descending' : 'ascending') : undefined}
                    >
                      <button type="button" className="sort-button" onClick={() => sortBy(column)}>
                        {LIST_COLUMN_LABELS[column]}
                        <span aria-hidden="true">{sorted ? (options.sort!.descending ? ' ▼' : ' ▲') : ''}</span>
                      </button>
                    </th>
                  );
                })}
                <th scope="col" className="col-note">
                  Note
                </th>
              </tr>
            </thead>
            <tbody>
              {windowed.before > 0 ? (
                <tr aria-hidden="true" className="spacer" style={{ height: windowed.before }} />
              ) : null}
              {windowed.indexes.map((index) => {
                const row = shown[index]!;
                return (
                  <ListRow
                    key={row.testCase.id}
                    row={row}
                    index={index}
                    group={groups.get(row.testCase.id)}
                    selected={row.testCase.id === selectedId}
                    focusable={row.testCase.id === focusable}
                    overridden={props.overrides.has(row.testCase.id)}
                    onSelect={onSelect}
                    onOpen={onOpen}
                    onKeyDown={stableKeyDown}
                  />
                );
              })}
              {windowed.after > 0 ? (
                <tr aria-hidden="true" className="spacer" style={{ height: windowed.after }} />
              ) : null}
            </tbody>
          </table>
          {shown.length === 0 ? <p className="empty">No case matches the filter.</p> : null}
        </div>
      )}
    </>
  );
}

/** Memoised: a scroll re-renders the list, and the rows that stay in view need not render again. */
const ListRow = memo(function ListRow({
  row,
  index,
  group,
  selected,
  focusable,
  overridden,
  onSelect,
  onOpen,
  onKeyDown,
}: {
  row: CaseRow;
  index: number;
  group: MatrixGroup | undefined;
  selected: boolean;
  focusable: boolean;
  overridden: boolean;
  onSelect: (caseId: string, how: 'pointer' | 'keyboard') => void;
  onOpen: (caseId: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number, caseId: string) => void;
}) {
  const { testCase } = row;
  const classes = ['case-row', selected ? 'selected' : '', row.notRunnable ? 'not-runnable' : '']
    .filter(Boolean)
    .join(' ');
  const note = row.notRunnable
    ? `Not runnable from this machine: ${row.notRunnable}`
    : [row.verdictReason, row.warning ? `⚠ ${row.warning}` : ''].filter(Boolean).join(' ');
  return (
    <tr
      className={classes}
      tabIndex={focusable ? 0 : -1}
      aria-selected={selected}
      aria-rowindex={index + 2}
      aria-label={testCase.title}
      data-case-id={testCase.id}
      title={testCase.title}
      onClick={() => onSelect(testCase.id, 'pointer')}
      onDoubleClick={() => onOpen(testCase.id)}
      onKeyDown={(event) => onKeyDown(event, index, testCase.id)}
    >
      <td className="cell-status">
        <CaseVerdict row={row} expected={false} />
      </td>
      <td className="cell-expect">
        {EXPECTATION_TEXT[testCase.expect]}
        {overridden ? ' (override)' : ''}
      </td>
      <td className="cell-group">{columnText(row, 'group', group)}</td>
      <td className="cell-case">{columnText(row, 'case', group)}</td>
      <td className="cell-server">{testCase.server}</td>
      <td className="cell-source">
        {testCase.source ?? ''}
        {row.local && row.local !== testCase.source ? (
          <>
            {' '}
            <span className="row-note">local {row.local}</span>
          </>
        ) : null}
        {row.vantage ? (
          <>
            {' '}
            <span className="row-note row-vantage" title={row.via}>
              via {row.vantage}
            </span>
          </>
        ) : null}
      </td>
      <td className="cell-recipient" title={testCase.to}>
        {columnText(row, 'recipient', group)}
      </td>
      <td className="cell-time">{row.status === 'running' ? '…' : formatDuration(row.durationMs)}</td>
      <td className="cell-note" title={note}>
        {note}
      </td>
    </tr>
  );
});
