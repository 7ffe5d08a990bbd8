// The matrix as a reviewer reads the policy: cases grouped as the mission names them (approved users, unauthorised
// addresses, …), one row per subject (a source, an account, a trick), one column per server and recipient kind.
// Membership follows the plan's policy, so overriding a case's expectation never moves it to another group. Pure.
import { accountMayRelay, sourceFacts, type TestCase } from './matrix.js';
import type { Plan, PlanServer } from './plan.js';

export const MATRIX_GROUPS = [
  'approved-users',
  'unapproved-users',
  'authorised-addresses',
  'unauthorised-addresses',
  'refused-at-connect',
  'wrong-password',
  'send-as-other',
  'banner',
  'address-tricks',
  'extra',
] as const;

export type MatrixGroup = (typeof MATRIX_GROUPS)[number];

export const GROUP_LABELS: Record<MatrixGroup, string> = {
  'approved-users': 'Approved users',
  'unapproved-users': 'Unapproved users',
  'authorised-addresses': 'Authorised addresses',
  'unauthorised-addresses': 'Unauthorised addresses',
  'refused-at-connect': 'Refused at connect',
  'wrong-password': 'Wrong password',
  'send-as-other': 'Sending as someone else',
  banner: 'Banner',
  'address-tricks': 'Address tricks',
  extra: 'Extra cases',
};

/** Whether the server's connection control refuses the source ("Only the list below" or "All except"). */
function refusedAtConnect(server: PlanServer, source: string): boolean {
  return sourceFacts(server, source).denied === true;
}

/** Whether the server lets the source relay without signing in (its relay restrictions, in either mode). */
function authorisedSource(server: PlanServer, source: string): boolean {
  return sourceFacts(server, source).relayHost === true;
}

/**
 * The group of a case. With the plan (and the case's server in it) the policy decides; without it, the case's
 * expectation stands in (e.g. a run whose plan is not at hand).
 */
export function caseGroup(testCase: TestCase, plan?: Plan): MatrixGroup {
  const server = plan?.servers.find((candidate) => candidate.name === testCase.server);
  switch (testCase.kind) {
    case 'source': {
      const source = testCase.source ?? '';
      if (server) {
        if (refusedAtConnect(server, source)) return 'refused-at-connect';
        return authorisedSource(server, source) ? 'authorised-addresses' : 'unauthorised-addresses';
      }
      if (testCase.expect === 'reject-at-connect') return 'refused-at-connect';
      // The local recipient is accepted from anywhere; only the external one says whether the source may relay.
      if (testCase.recipient === 'local') return 'unauthorised-addresses';
      return testCase.expect === 'relay' ? 'authorised-addresses' : 'unauthorised-addresses';
    }
    case 'account': {
      const account = testCase.account ?? '';
      const approved = server ? accountMayRelay(server, account) : testCase.expect === 'relay';
      return approved ? 'approved-users' : 'unapproved-users';
    }
    case 'wrong-password':
      return 'wrong-password';
    case 'send-as-other':
      return 'send-as-other';
    case 'banner':
      return 'banner';
    case 'trick':
      return 'address-tricks';
    case 'extra':
      return 'extra';
  }
}

/** What a row of the grid stands for, as a short label ("10.0.0.5", "alice", "percent hack as bob"). */
export function caseSubject(testCase: TestCase): { key: string; label: string } {
  switch (testCase.kind) {
    case 'source':
      return { key: `source:${testCase.source ?? ''}`, label: testCase.source ?? '(no source)' };
    case 'account':
    case 'wrong-password':
    case 'send-as-other':
      return { key: `account:${testCase.account ?? ''}`, label: testCase.account ?? '(no account)' };
    case 'banner':
      return { key: 'banner', label: 'greeting' };
    case 'trick': {
      const name = testCase.trick?.name ?? testCase.to ?? testCase.id;
      const who = testCase.account ? ` as ${testCase.account}` : '';
      return { key: `trick:${testCase.trick?.variant ?? testCase.id}${who}`, label: `${name}${who}` };
    }
    case 'extra':
      return { key: `extra:${testCase.id}`, label: testCase.title };
  }
}

export type RecipientColumn = 'external' | 'local';

export interface GridColumn {
  key: string;
  server: string;
  /** Set when the server's cases are split by recipient kind. */
  recipient?: RecipientColumn;
}

export interface GridCell<T> {
  item: T;
  /** Columns the cell covers: a case without a recipient kind covers all of its server's. */
  span: number;
}

export interface GridRow<T> {
  key: string;
  label: string;
  group: MatrixGroup;
  /** One entry per column: a cell where it starts, 'covered' under a spanning cell, null where no case is. */
  cells: (GridCell<T> | 'covered' | null)[];
}

export interface GridGroup<T> {
  group: MatrixGroup;
  label: string;
  rows: GridRow<T>[];
}

export interface MatrixGrid<T> {
  servers: { server: string; columns: GridColumn[] }[];
  columns: GridColumn[];
  groups: GridGroup<T>[];
}

function recipientColumn(testCase: TestCase): RecipientColumn | undefined {
  return testCase.recipient === 'external' || testCase.recipient === 'local' ? testCase.recipient : undefined;
}

/**
 * Lays cases out as a grid. Columns: servers in the order their cases come, split into external and local where a
 * server has both. A case that would land in a cell already taken (an extra case repeating a subject) gets a row of
 * its own, so no case is ever hidden.
 */
export function matrixGrid<T>(items: readonly T[], caseOf: (item: T) => TestCase, plan?: Plan): MatrixGrid<T> {
  const recipientsByServer = new Map<string, Set<RecipientColumn>>();
  for (const item of items) {
    const testCase = caseOf(item);
    const kinds = recipientsByServer.get(testCase.server) ?? new Set<RecipientColumn>();
    const kind = recipientColumn(testCase);
    if (kind) kinds.add(kind);
    recipientsByServer.set(testCase.server, kinds);
  }
  const servers: MatrixGrid<T>['servers'] = [];
  const columns: GridColumn[] = [];
  const firstColumn = new Map<string, number>();
  for (const [server, kinds] of recipientsByServer) {
    firstColumn.set(server, columns.length);
    const own: GridColumn[] =
      kinds.size > 1
        ? (['external', 'local'] as const).map((recipient) => ({
            key: `${server}\u0000${recipient}`,
            server,
            recipient,
          }))
        : [{ key: `${server}\u0000`, server }];
    servers.push({ server, columns: own });
    columns.push(...own);
  }

  const rowsByGroup = new Map<MatrixGroup, Map<string, GridRow<T>>>();
  const columnsByServer = new Map(servers.map((entry) => [entry.server, entry.columns]));
  // A source's group is the same for both recipients: judged once per server and source.
  const sourceGroups = new Map<string, MatrixGroup>();
  for (const item of items) {
    const testCase = caseOf(item);
    let group: MatrixGroup;
    if (testCase.kind === 'source') {
      const key = `${testCase.server}\u0000${testCase.source ?? ''}`;
      group = sourceGroups.get(key) ?? caseGroup(testCase, plan);
      sourceGroups.set(key, group);
    } else group = caseGroup(testCase, plan);
    const serverColumns = columnsByServer.get(testCase.server)!;
    const start = firstColumn.get(testCase.server)!;
    const kind = recipientColumn(testCase);
    const offset =
      serverColumns.length > 1 && kind ? serverColumns.findIndex((column) => column.recipient === kind) : 0;
    const span = serverColumns.length > 1 && kind ? 1 : serverColumns.length;
    const subject = caseSubject(testCase);
    const rows = rowsByGroup.get(group) ?? new Map<string, GridRow<T>>();
    rowsByGroup.set(group, rows);
    let row = rows.get(subject.key);
    const free = (candidate: GridRow<T>) =>
      candidate.cells.slice(start + offset, start + offset + span).every((cell) => cell === null);
    if (row && !free(row)) {
      row = undefined;
      subject.key = `case:${testCase.id}`;
      subject.label = testCase.title;
    }
    if (!row) {
      row = { key: subject.key, label: subject.label, group, cells: columns.map(() => null) };
      rows.set(subject.key, row);
    }
    row.cells[start + offset] = { item, span };
    for (let index = 1; index < span; index++) row.cells[start + offset + index] = 'covered';
  }

  const groups = MATRIX_GROUPS.filter((group) => rowsByGroup.has(group)).map((group) => ({
    group,
    label: GROUP_LABELS[group],
    rows: [...rowsByGroup.get(group)!.values()],
  }));
  return { servers, columns, groups };
}
