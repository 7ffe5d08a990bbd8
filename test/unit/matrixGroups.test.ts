// The grid: cases grouped as the mission names them, one row per subject, one column per server and recipient.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveMatrix, type TestCase } from '../../shared/matrix.js';
import { caseGroup, matrixGrid, type GridRow } from '../../shared/matrixGroups.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import { largePlan } from '../support/plans.js';
import { ROOT } from '../support/testbed.js';

function plan(change: (raw: any) => void = () => {}): Plan {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));
  change(raw);
  const check = checkPlan(raw);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

const RELAY = 'SMTP Relay Virtual Server';

function groupOf(policy: Plan, id: string): string {
  const testCase = deriveMatrix(policy).cases.find((candidate) => candidate.id === id);
  if (!testCase) throw new Error(`no case ${id}`);
  return caseGroup(testCase, policy);
}

function cellIds(row: GridRow<TestCase> | undefined): (string | null)[] {
  return (row?.cells ?? []).map((cell) =>
    cell && cell !== 'covered' ? cell.item.id : cell === 'covered' ? '…' : null,
  );
}

describe('the groups of the matrix', () => {
  it('puts accounts with the Relay permission among approved users, the others among unapproved', () => {
    const policy = plan();
    expect(groupOf(policy, 'smtp-relay-virtual-server/as-alice/to-external')).toBe('approved-users');
    expect(groupOf(policy, 'smtp-relay-virtual-server/as-mallory/to-external')).toBe('unapproved-users');
    expect(groupOf(policy, 'default-smtp-virtual-server/as-alice/to-external')).toBe('unapproved-users');
  });

  it('makes every account approved when any authenticated user may relay', () => {
    const policy = plan((raw) => (raw.servers[1].relay.anyAuthenticated = true));
    expect(groupOf(policy, 'smtp-relay-virtual-server/as-mallory/to-external')).toBe('approved-users');
  });

  it('sorts sources by the relay list, its mode, and connection control', () => {
    const policy = plan();
    expect(groupOf(policy, 'smtp-relay-virtual-server/from-127.0.0.10/to-external')).toBe('authorised-addresses');
    expect(groupOf(policy, 'smtp-relay-virtual-server/from-127.0.0.10/to-local')).toBe('authorised-addresses');
    expect(groupOf(policy, 'smtp-relay-virtual-server/from-127.0.0.5/to-external')).toBe('unauthorised-addresses');
    expect(groupOf(policy, 'smtp-relay-virtual-server/from-127.0.9.0/24/to-local')).toBe('refused-at-connect');
    const allExcept = plan((raw) => (raw.servers[1].relay.mode = 'allExcept'));
    expect(groupOf(allExcept, 'smtp-relay-virtual-server/from-127.0.0.10/to-external')).toBe('unauthorised-addresses');
    expect(groupOf(allExcept, 'smtp-relay-virtual-server/from-127.0.0.5/to-external')).toBe('authorised-addresses');
    const onlyList = plan((raw) => (raw.servers[1].connect = { deny: [], allow: ['127.0.0.0/30'] }));
    expect(groupOf(onlyList, 'smtp-relay-virtual-server/from-127.0.0.5/to-external')).toBe('refused-at-connect');
  });

  it('keeps a case in its group when the plan overrides its expectation', () => {
    const policy = plan((raw) =>
      raw.cases.push({ id: 'smtp-relay-virtual-server/as-mallory/to-external', expect: 'relay' }),
    );
    expect(groupOf(policy, 'smtp-relay-virtual-server/as-mallory/to-external')).toBe('unapproved-users');
  });

  it('falls back on the expectation without the plan', () => {
    const cases = deriveMatrix(plan()).cases;
    const find = (id: string) => cases.find((testCase) => testCase.id === id)!;
    expect(caseGroup(find('smtp-relay-virtual-server/from-127.0.0.10/to-external'))).toBe('authorised-addresses');
    expect(caseGroup(find('smtp-relay-virtual-server/from-127.0.9.0/24/to-external'))).toBe('refused-at-connect');
    expect(caseGroup(find('smtp-relay-virtual-server/as-alice/wrong-password'))).toBe('wrong-password');
    expect(caseGroup(find('smtp-relay-virtual-server/as-alice/send-as-other'))).toBe('send-as-other');
    expect(caseGroup(find('smtp-relay-virtual-server/banner'))).toBe('banner');
  });
});

describe('the grid of the matrix', () => {
  const policy = plan();
  const grid = matrixGrid(deriveMatrix(policy).cases, (testCase) => testCase, policy);
  const group = (name: string) => grid.groups.find((entry) => entry.group === name);

  it('has a column per server and recipient kind, in the order of the plan', () => {
    expect(grid.columns.map((column) => `${column.server} ${column.recipient ?? ''}`.trim())).toEqual([
      'Default SMTP Virtual Server external',
      'Default SMTP Virtual Server local',
      `${RELAY} external`,
      `${RELAY} local`,
    ]);
  });

  it('orders the groups as the mission names them and keeps every case exactly once', () => {
    expect(grid.groups.map((entry) => entry.group)).toEqual([
      'approved-users',
      'unapproved-users',
      'authorised-addresses',
      'unauthorised-addresses',
      'refused-at-connect',
      'wrong-password',
      'send-as-other',
      'banner',
    ]);
    const placed = grid.groups.flatMap((entry) =>
      entry.rows.flatMap((row) => row.cells.filter((cell) => cell && cell !== 'covered')),
    );
    expect(placed).toHaveLength(deriveMatrix(policy).cases.length);
  });

  it('puts a source on one row per group, with its external and local cells side by side', () => {
    const row = group('authorised-addresses')?.rows.find((candidate) => candidate.label === '127.0.0.10');
    expect(cellIds(row)).toEqual([
      null,
      null,
      'smtp-relay-virtual-server/from-127.0.0.10/to-external',
      'smtp-relay-virtual-server/from-127.0.0.10/to-local',
    ]);
    // On the default server nobody may relay: the same source is an unauthorised address there.
    const there = group('unauthorised-addresses')?.rows.find((candidate) => candidate.label === '127.0.0.10');
    expect(cellIds(there)).toEqual([
      'default-smtp-virtual-server/from-127.0.0.10/to-external',
      'default-smtp-virtual-server/from-127.0.0.10/to-local',
      null,
      null,
    ]);
  });

  it('lets a case without a recipient kind span its server, and gives a colliding extra case its own row', () => {
    expect(cellIds(group('banner')?.rows[0])).toEqual([null, null, 'smtp-relay-virtual-server/banner', '…']);
    const withExtra = plan((raw) =>
      raw.cases.push({ id: 'alice-again', server: RELAY, account: 'alice', to: 'external', expect: 'relay' }),
    );
    const extra = matrixGrid(deriveMatrix(withExtra).cases, (testCase) => testCase, withExtra).groups.find(
      (entry) => entry.group === 'extra',
    );
    expect(extra?.rows.map((row) => row.label)).toEqual(['alice-again']);
  });

  it('lays a 5,000-case plan out as 250 source rows over 20 columns', () => {
    const check = checkPlan(largePlan());
    if (!check.ok) throw new Error(JSON.stringify(check.problems));
    const cases = deriveMatrix(check.plan).cases;
    expect(cases).toHaveLength(5000);
    const large = matrixGrid(cases, (testCase) => testCase, check.plan);
    expect(large.columns).toHaveLength(20);
    expect(large.groups.map((entry) => [entry.group, entry.rows.length])).toEqual([
      ['authorised-addresses', 50],
      ['unauthorised-addresses', 175],
      ['refused-at-connect', 25],
    ]);
  });
});
