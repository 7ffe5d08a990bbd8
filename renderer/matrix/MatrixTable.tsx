// The derived matrix as a table: one focusable row per case; arrow keys move the selection, Enter opens its
// transcript; expectations are editable; cases this machine cannot run are greyed out with the reason.
import { Fragment, useEffect, useRef, type KeyboardEvent } from 'react';
import { EXPECTATIONS, type Expectation } from '../../shared/plan.js';
import { formatDuration, recipientText, type CaseRow } from './caseRows.js';
import { StatusMark } from './StatusMark.js';

export interface MatrixTableProps {
  rows: readonly CaseRow[];
  selectedId?: string;
  onSelect: (caseId: string, how: 'pointer' | 'keyboard') => void;
  onOpen: (caseId: string) => void;
  /** Ids of cases whose expectation the plan sets (an override in plan.cases). */
  overrides: ReadonlySet<string>;
  onExpectationChange: (caseId: string, expect: Expectation) => void;
  onExpectationReset: (caseId: string) => void;
  /** Expectations can be changed (not while a run is going). */
  editable: boolean;
}

/** Verdicts whose reason is shown only on the selected row (it is also in the transcript pane), to keep rows short. */
const QUIET = new Set<string | undefined>(['pass', 'queued', 'running']);

const EXPECTATION_LABELS: Record<Expectation, string> = {
  relay: 'relay',
  deny: 'deny',
  'reject-at-connect': 'reject at connect',
  'auth-fail': 'auth fail',
  banner: 'banner',
  report: 'report',
};

export function MatrixTable(props: MatrixTableProps) {
  const { rows, selectedId, onSelect, onOpen } = props;
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  const focusNext = useRef(false);

  useEffect(() => {
    if (!focusNext.current || !selectedId) return;
    focusNext.current = false;
    const row = rowRefs.current.get(selectedId);
    // Scroll by the first cell, so a row wider than the pane does not scroll the table sideways.
    row?.focus({ preventScroll: true });
    row?.cells[0]?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [selectedId]);

  function move(from: number, to: number) {
    const target = rows[Math.max(0, Math.min(rows.length - 1, to))];
    if (!target || to === from) return;
    focusNext.current = true;
    onSelect(target.testCase.id, 'keyboard');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, caseId: string) {
    if (event.target !== event.currentTarget) return; // keys inside the expectation select stay there
    const page = 10;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.length - 1,
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

  if (rows.length === 0) {
    return <p className="empty">No cases: the plan has problems to fix first, or nothing to test.</p>;
  }
  const focusable =
    selectedId && rows.some((row) => row.testCase.id === selectedId) ? selectedId : rows[0]?.testCase.id;
  // The address tricks of a server are a block of their own, under a heading row (not a case: arrows skip it).
  const startsTrickBlock = (index: number) =>
    rows[index]?.testCase.kind === 'trick' &&
    (index === 0 ||
      rows[index - 1]?.testCase.kind !== 'trick' ||
      rows[index - 1]?.testCase.server !== rows[index]?.testCase.server);
  const headings = rows.filter((_, index) => startsTrickBlock(index)).length;

  return (
    <table className="matrix" aria-label="Test matrix" aria-rowcount={rows.length + headings + 1}>
      <thead>
        <tr>
          <th scope="col">Result, time</th>
          <th scope="col">Case</th>
          <th scope="col">Server</th>
          <th scope="col">Source</th>
          <th scope="col">Account</th>
          <th scope="col">Recipient</th>
          <th scope="col">Expected</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => {
          const { testCase } = row;
          const selected = testCase.id === selectedId;
          const classes = [
            'case-row',
            selected ? 'selected' : '',
            row.notRunnable ? 'not-runnable' : '',
            row.status ? `row-${row.status}` : '',
          ]
            .filter(Boolean)
            .join(' ');
          const reasonId = `reason-${index}`;
          // A passing row shows its reason only when selected; it must not point at a note that is not there.
          const showsReason = Boolean(row.notRunnable || (row.verdictReason && (selected || !QUIET.has(row.status))));
          const recipient = recipientText(testCase);
          return (
            <Fragment key={testCase.id}>
              {startsTrickBlock(index) ? (
                <tr className="block-heading" data-block="address-tricks">
                  <th scope="rowgroup" colSpan={7}>
                    Address tricks via {testCase.server}: refused passes; accepted needs review or fails
                    (docs/address-tricks.md)
                  </th>
                </tr>
              ) : null}
              <tr
                ref={(element) => {
                  if (element) rowRefs.current.set(testCase.id, element);
                  else rowRefs.current.delete(testCase.id);
                }}
                className={classes}
                tabIndex={testCase.id === focusable ? 0 : -1}
                aria-selected={selected}
                aria-describedby={showsReason ? reasonId : undefined}
                data-case-id={testCase.id}
                onClick={() => onSelect(testCase.id, 'pointer')}
                onDoubleClick={() => onOpen(testCase.id)}
                onKeyDown={(event) => onKeyDown(event, index, testCase.id)}
              >
                <td className="cell-status">
                  <StatusMark status={row.status} />
                  <div className="cell-time">{row.status === 'running' ? '…' : formatDuration(row.durationMs)}</div>
                </td>
                <td className="cell-title">
                  <div>{testCase.title}</div>
                  {row.notRunnable ? (
                    <div className="row-note" id={reasonId}>
                      Not runnable from this machine: {row.notRunnable}
                    </div>
                  ) : showsReason ? (
                    <div className="row-note" id={reasonId}>
                      {row.verdictReason}
                    </div>
                  ) : null}
                  {row.warning ? <div className="row-warning">⚠ {row.warning}</div> : null}
                </td>
                <td className="cell-server">{testCase.server}</td>
                <td className="cell-source">
                  {testCase.source ?? ''}
                  {row.local && row.local !== testCase.source ? (
                    <div className="row-note">local {row.local}</div>
                  ) : null}
                  {row.vantage ? (
                    <div className="row-note row-vantage" title={row.via}>
                      via {row.vantage}
                    </div>
                  ) : null}
                </td>
                <td>
                  {testCase.wrongPassword ? `${testCase.account ?? ''} (wrong password)` : (testCase.account ?? '')}
                </td>
                <td className="cell-recipient" title={recipient.address}>
                  {recipient.kind}
                </td>
                <td className="cell-expect">
                  <select
                    aria-label={`Expected result of ${testCase.title}`}
                    value={testCase.expect}
                    disabled={!props.editable}
                    onChange={(event) => props.onExpectationChange(testCase.id, event.target.value as Expectation)}
                    onClick={(event) => event.stopPropagation()}
                  >
                    {EXPECTATIONS.map((expectation) => (
                      <option key={expectation} value={expectation}>
                        {EXPECTATION_LABELS[expectation]}
                      </option>
                    ))}
                  </select>
                  {props.overrides.has(testCase.id) ? (
                    <button
                      type="button"
                      className="link-button"
                      disabled={!props.editable}
                      title="Use the expectation derived from the policy"
                      // The name starts with the visible words, so a speech-input user can say them (WCAG 2.5.3).
                      aria-label={`Set by plan. Use the derived expectation for ${testCase.title}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        props.onExpectationReset(testCase.id);
                      }}
                    >
                      set by plan<span aria-hidden="true"> ↺</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
