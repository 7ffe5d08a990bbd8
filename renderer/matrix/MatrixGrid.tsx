// The matrix as a grid a reviewer takes in at a glance: rows grouped as the mission names them, a column per server
// (and recipient kind), each cell the case's labelled verdict and reply code. An ARIA grid: one cell in the tab
// order, arrows move between cells (selecting the case there), Enter or a click opens its transcript.
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MatrixGrid as Grid, GridCell, MatrixGroup } from '../../shared/matrixGroups.js';
import type { CaseRow } from './caseRows.js';
import { CaseVerdict } from './CaseVerdict.js';
import { useWindowedRows } from './useWindowedRows.js';

export interface MatrixGridProps {
  grid: Grid<CaseRow>;
  selectedId?: string;
  onSelect: (caseId: string, how: 'pointer' | 'keyboard') => void;
  onOpen: (caseId: string) => void;
  /** Ids of cases whose expectation the plan overrides. */
  overrides: ReadonlySet<string>;
}

type Entry =
  | { kind: 'group'; label: string; count: number; note?: string }
  | { kind: 'row'; label: string; cells: Grid<CaseRow>['groups'][number]['rows'][number]['cells'] };

/** What a reviewer must know to read a group's verdicts. */
const GROUP_NOTES: Partial<Record<MatrixGroup, string>> = {
  'address-tricks': 'refused passes; accepted needs review or fails (docs/address-tricks.md)',
  'send-as-other': 'reported unless the server must match sender and login',
};

interface Position {
  entry: number;
  column: number;
}

/** Row heights in rem, as matrix.css sets them (windowing relies on them being exact). */
const ROW_REM = 3.1;
const GROUP_REM = 2.2;
/** Column widths in rem: the subject column, then each server column (fixed table layout: rows in and out of the
 * window never change the widths). */
const SUBJECT_REM = 12;
const CELL_REM = 9.5;

/** The cell a position lands on: the start of a spanning cell when it points under one. */
function cellStart(entries: readonly Entry[], position: Position): number {
  const entry = entries[position.entry];
  if (entry?.kind !== 'row') return position.column;
  let column = position.column;
  while (column > 0 && entry.cells[column] === 'covered') column--;
  return column;
}

export function MatrixGrid({ grid, selectedId, onSelect, onOpen, overrides }: MatrixGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const pendingFocus = useRef(false);
  const columnCount = grid.columns.length;

  const { entries, positions } = useMemo(() => {
    const list: Entry[] = [];
    const where = new Map<string, Position>();
    for (const group of grid.groups) {
      const count = group.rows.reduce(
        (sum, row) => sum + row.cells.filter((cell) => cell !== null && cell !== 'covered').length,
        0,
      );
      const note = GROUP_NOTES[group.group];
      list.push({ kind: 'group', label: group.label, count, ...(note ? { note } : {}) });
      for (const row of group.rows) {
        row.cells.forEach((cell, column) => {
          if (cell && cell !== 'covered') where.set(cell.item.testCase.id, { entry: list.length, column });
        });
        list.push({ kind: 'row', label: row.label, cells: row.cells });
      }
    }
    return { entries: list, positions: where };
  }, [grid]);

  const firstRow = entries.findIndex((entry) => entry.kind === 'row');
  const [focus, setFocus] = useState<Position>(() =>
    selectedId && positions.has(selectedId) ? positions.get(selectedId)! : { entry: firstRow, column: 0 },
  );
  // The selection can change elsewhere (the list view, a run action): the grid's tab stop follows it.
  useEffect(() => {
    const at = selectedId ? positions.get(selectedId) : undefined;
    if (at) setFocus((current) => (current.entry === at.entry && current.column === at.column ? current : at));
  }, [selectedId, positions]);
  const active: Position =
    entries[focus.entry]?.kind === 'row' && focus.column < columnCount ? focus : { entry: firstRow, column: 0 };

  const windowed = useWindowedRows(entries.length, scroller, (index) =>
    entries[index]?.kind === 'group' ? GROUP_REM : ROW_REM,
  );

  useEffect(() => {
    if (!pendingFocus.current) return;
    const cell = table.current?.querySelector<HTMLElement>(`[data-grid-position="${active.entry}:${active.column}"]`);
    if (!cell) return; // not rendered yet: the scroll brings it in and this runs again
    pendingFocus.current = false;
    cell.focus({ preventScroll: true });
    cell.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  });

  const activate = useCallback(
    (entry: number, column: number, caseId: string | undefined) => {
      setFocus({ entry, column });
      if (!caseId) return;
      onSelect(caseId, 'pointer');
      onOpen(caseId);
    },
    [onSelect, onOpen],
  );

  function moveTo(position: Position) {
    const column = cellStart(entries, position);
    const target = { entry: position.entry, column };
    pendingFocus.current = true;
    setFocus(target);
    windowed.scrollTo(target.entry);
    const entry = entries[target.entry];
    const cell = entry?.kind === 'row' ? entry.cells[column] : undefined;
    if (cell && cell !== 'covered') onSelect(cell.item.testCase.id, 'keyboard');
  }

  /** The next data row from `entry` in direction `step`, `count` rows on (stops at the ends). */
  function rowFrom(entry: number, step: 1 | -1, count = 1): number {
    let found = entry;
    for (let index = entry + step, left = count; index >= 0 && index < entries.length && left > 0; index += step) {
      if (entries[index]?.kind === 'row') {
        found = index;
        left--;
      }
    }
    return found;
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableElement>) {
    const entry = entries[active.entry];
    if (entry?.kind !== 'row') return;
    const here = entry.cells[active.column];
    const span = here && here !== 'covered' ? here.span : 1;
    const lastRow = rowFrom(entries.length, -1);
    const moves: Record<string, () => Position> = {
      ArrowRight: () => ({ entry: active.entry, column: Math.min(columnCount - 1, active.column + span) }),
      ArrowLeft: () => ({ entry: active.entry, column: Math.max(0, active.column - 1) }),
      ArrowDown: () => ({ entry: rowFrom(active.entry, 1), column: active.column }),
      ArrowUp: () => ({ entry: rowFrom(active.entry, -1), column: active.column }),
      PageDown: () => ({ entry: rowFrom(active.entry, 1, 10), column: active.column }),
      PageUp: () => ({ entry: rowFrom(active.entry, -1, 10), column: active.column }),
      Home: () => (event.ctrlKey ? { entry: firstRow, column: 0 } : { entry: active.entry, column: 0 }),
      End: () =>
        event.ctrlKey ? { entry: lastRow, column: columnCount - 1 } : { entry: active.entry, column: columnCount - 1 },
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move());
    } else if ((event.key === 'Enter' || event.key === ' ') && here && here !== 'covered') {
      event.preventDefault();
      onSelect(here.item.testCase.id, 'keyboard');
      onOpen(here.item.testCase.id);
    }
  }

  if (entries.length === 0) {
    return <p className="empty">No cases: the plan has problems to fix first, or nothing to test.</p>;
  }

  const split = grid.servers.some((server) => server.columns.length > 1);
  const headerRows = split ? 2 : 1;
  return (
    <div className="matrix-scroll" ref={scroller}>
      <table
        className="matrix-grid"
        role="grid"
        aria-label="Test matrix by group"
        aria-rowcount={entries.length + headerRows}
        aria-colcount={columnCount + 1}
        ref={table}
        onKeyDown={onKeyDown}
        style={{ width: `${SUBJECT_REM + columnCount * CELL_REM}rem` }}
      >
        <colgroup>
          <col style={{ width: `${SUBJECT_REM}rem` }} />
          {grid.columns.map((column) => (
            <col key={column.key} style={{ width: `${CELL_REM}rem` }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" rowSpan={headerRows} className="grid-corner">
              Case
            </th>
            {grid.servers.map((server) =>
              server.columns.length > 1 ? (
                <th key={server.server} scope="colgroup" colSpan={server.columns.length} className="grid-server">
                  {server.server}
                </th>
              ) : (
                <th key={server.server} scope="col" rowSpan={headerRows} className="grid-server">
                  {server.server}
                </th>
              ),
            )}
          </tr>
          {split ? (
            <tr aria-rowindex={2} className="grid-recipients">
              {grid.servers.flatMap((server) =>
                server.columns.length > 1
                  ? server.columns.map((column) => (
                      <th key={column.key} scope="col">
                        {column.recipient === 'external' ? 'external recipient' : 'local recipient'}
                      </th>
                    ))
                  : [],
              )}
            </tr>
          ) : null}
        </thead>
        <tbody>
          {windowed.before > 0 ? (
            <tr aria-hidden="true" className="spacer" style={{ height: windowed.before }} />
          ) : null}
          {windowed.indexes.map((index) => {
            const entry = entries[index]!;
            if (entry.kind === 'group') {
              return (
                <tr key={`group-${index}`} className="grid-group" aria-rowindex={index + headerRows + 1}>
                  {/* A heading in a cell, not a row-group header: the group's cases are the rows below it, which
                      a table without one tbody per group cannot tie to a header (axe: th-has-data-cells). */}
                  <td colSpan={columnCount + 1}>
                    <span role="heading" aria-level={3}>
                      {entry.label} <span className="grid-group-count">({entry.count})</span>
                    </span>
                    {entry.note ? <span className="grid-group-note"> — {entry.note}</span> : null}
                  </td>
                </tr>
              );
            }
            return (
              <tr key={`row-${index}`} className="grid-row" aria-rowindex={index + headerRows + 1}>
                <th scope="row" className="grid-subject" title={entry.label}>
                  {entry.label}
                </th>
                {entry.cells.map((cell, column) =>
                  cell === 'covered' ? null : (
                    <GridCellView
                      key={column}
                      cell={cell}
                      entry={index}
                      column={column}
                      tabStop={active.entry === index && active.column === column}
                      selected={cell !== null && cell.item.testCase.id === selectedId}
                      overridden={cell !== null && overrides.has(cell.item.testCase.id)}
                      onActivate={activate}
                    />
                  ),
                )}
              </tr>
            );
          })}
          {windowed.after > 0 ? <tr aria-hidden="true" className="spacer" style={{ height: windowed.after }} /> : null}
        </tbody>
      </table>
    </div>
  );
}

/** Memoised: a scroll re-renders the grid, and the cells that stay in view need not render again. */
const GridCellView = memo(function GridCellView({
  cell,
  entry,
  column,
  tabStop,
  selected,
  overridden,
  onActivate,
}: {
  cell: GridCell<CaseRow> | null;
  entry: number;
  column: number;
  tabStop: boolean;
  selected: boolean;
  overridden: boolean;
  onActivate: (entry: number, column: number, caseId: string | undefined) => void;
}) {
  const position = `${entry}:${column}`;
  const onClick = () => onActivate(entry, column, cell?.item.testCase.id);
  if (!cell) {
    return (
      <td className="grid-cell grid-empty" data-grid-position={position} tabIndex={tabStop ? 0 : -1} onClick={onClick}>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">no case</span>
      </td>
    );
  }
  const row = cell.item;
  const classes = [
    'grid-cell',
    row.status ? `cell-${row.status}` : 'cell-none',
    selected ? 'selected' : '',
    row.notRunnable ? 'not-runnable' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <td
      className={classes}
      colSpan={cell.span > 1 ? cell.span : undefined}
      data-case-id={row.testCase.id}
      data-grid-position={position}
      tabIndex={tabStop ? 0 : -1}
      aria-selected={selected}
      title={row.notRunnable ? `${row.testCase.title} — not runnable here: ${row.notRunnable}` : row.testCase.title}
      onClick={onClick}
    >
      <CaseVerdict row={row} overridden={overridden} />
    </td>
  );
});
