// Edits of the plan as the editor holds it: the raw JSON value, possibly invalid, changed without mutation so
// React sees every change. Fields the editor does not show ($comment, settings, addresses…) are kept as they are.
import { jsonPath, type Expectation } from '../../shared/plan.js';

export type PathKey = string | number;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node) && typeof key === 'string' && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** A copy of `root` with `value` at `path`; `undefined` removes an object key. Missing containers are created. */
export function setAt(root: unknown, path: readonly PathKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [PathKey, ...PathKey[]];
  if (typeof key === 'number') {
    const list: unknown[] = Array.isArray(root) ? [...(root as unknown[])] : [];
    list[key] = setAt(list[key], rest, value);
    return list;
  }
  const record: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  const next = setAt(record[key], rest, value);
  if (next === undefined) delete record[key];
  else record[key] = next;
  return record;
}

/** A copy of `root` without the list item or object key at `path`. */
export function removeAt(root: unknown, path: readonly PathKey[]): unknown {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = getAt(root, parentPath);
  if (Array.isArray(parent) && typeof key === 'number') {
    return setAt(
      root,
      parentPath,
      parent.filter((_, index) => index !== key),
    );
  }
  if (isRecord(parent) && typeof key === 'string') {
    const { [key]: _removed, ...rest } = parent;
    return setAt(root, parentPath, rest);
  }
  return root;
}

/** The JSON path the plan problems use, e.g. $.servers[0].relay.hosts[1]. */
export function pathText(path: readonly PathKey[]): string {
  return jsonPath(path);
}

export function textAt(root: unknown, path: readonly PathKey[]): string {
  const value = getAt(root, path);
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function listAt(root: unknown, path: readonly PathKey[]): unknown[] {
  const value = getAt(root, path);
  return Array.isArray(value) ? value : [];
}

/** The accounts of a plan that are usable names (strings), for passwords and relay-user choices. */
export function accountNames(plan: unknown): string[] {
  return listAt(plan, ['accounts']).filter(
    (account): account is string => typeof account === 'string' && account !== '',
  );
}

function caseIndex(plan: unknown, caseId: string): number {
  return listAt(plan, ['cases']).findIndex((entry) => isRecord(entry) && entry.id === caseId);
}

/** Sets a case's expected result by writing an override into plan.cases, keyed by the case id. */
export function withExpectation(plan: unknown, caseId: string, expect: Expectation): unknown {
  const index = caseIndex(plan, caseId);
  if (index >= 0) return setAt(plan, ['cases', index, 'expect'], expect);
  return setAt(plan, ['cases'], [...listAt(plan, ['cases']), { id: caseId, expect }]);
}

/** Removes an expectation override, and the whole override when nothing else is left in it. */
export function withoutExpectation(plan: unknown, caseId: string): unknown {
  const index = caseIndex(plan, caseId);
  if (index < 0) return plan;
  const entry = getAt(plan, ['cases', index]) as Record<string, unknown>;
  const { expect: _removed, ...rest } = entry;
  return Object.keys(rest).every((key) => key === 'id')
    ? removeAt(plan, ['cases', index])
    : setAt(plan, ['cases', index], rest);
}

/** Ids of the cases whose expectation the plan sets explicitly. */
export function expectationOverrides(plan: unknown): Set<string> {
  const ids = new Set<string>();
  for (const entry of listAt(plan, ['cases'])) {
    if (isRecord(entry) && typeof entry.id === 'string' && entry.expect !== undefined) ids.add(entry.id);
  }
  return ids;
}

export function planName(plan: unknown): string {
  const name = getAt(plan, ['name']);
  return typeof name === 'string' && name.trim() !== '' ? name : 'Untitled plan';
}

/** A file name for a plan, from its name. */
export function suggestedFileName(plan: unknown): string {
  const base = planName(plan)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'plan'}.json`;
}

function renamedKeys(value: unknown, from: string, to: string): unknown {
  if (!isRecord(value) || !Object.hasOwn(value, from)) return value;
  // Rebuilt in the same order, so the saved file only differs by the name.
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key === from ? to : key, entry]));
}

/**
 * The plan with an account renamed everywhere it is named: the account list, every server's relay users and
 * tricks account, addresses, accountMechanisms and the accounts of cases. Without this a rename silently takes
 * away the account's relay permission and leaves its old name behind as an unknown user.
 */
export function renameAccount(plan: unknown, from: string, to: string): unknown {
  if (!isRecord(plan) || from === to) return plan;
  const rename = (name: unknown) => (name === from ? to : name);
  let next: unknown = setAt(plan, ['accounts'], listAt(plan, ['accounts']).map(rename));
  listAt(plan, ['servers']).forEach((server, index) => {
    if (!isRecord(server)) return;
    const users = getAt(server, ['relay', 'users']);
    if (Array.isArray(users) && users.includes(from))
      next = setAt(next, ['servers', index, 'relay', 'users'], users.map(rename));
    if (server.tricksAccount === from) next = setAt(next, ['servers', index, 'tricksAccount'], to);
  });
  for (const key of ['addresses', 'accountMechanisms']) {
    const record = getAt(plan, [key]);
    if (record !== undefined) next = setAt(next, [key], renamedKeys(record, from, to));
  }
  listAt(plan, ['cases']).forEach((entry, index) => {
    if (isRecord(entry) && entry.account === from) next = setAt(next, ['cases', index, 'account'], to);
  });
  return next;
}

/** A plan as New makes it: one server not yet filled in, no accounts and no sources. The guided start fills it. */
export function isBlankPlan(plan: unknown): boolean {
  const servers = listAt(plan, ['servers']);
  return (
    listAt(plan, ['accounts']).length === 0 &&
    listAt(plan, ['sources']).length === 0 &&
    servers.length === 1 &&
    textAt(plan, ['servers', 0, 'host']) === ''
  );
}

export type ListMode = 'only' | 'allExcept';

/** Connection control: "Only the list below" is connect.allow, "All except the list below" is connect.deny. */
export function connectionMode(plan: unknown, server: number): ListMode {
  return Array.isArray(getAt(plan, ['servers', server, 'connect', 'allow'])) ? 'only' : 'allExcept';
}

/** The server's connection control switched to `mode`, its entries moved to the list of that mode. */
export function withConnectionMode(plan: unknown, server: number, mode: ListMode): unknown {
  if (connectionMode(plan, server) === mode) return plan;
  const connect = getAt(plan, ['servers', server, 'connect']);
  const rest = isRecord(connect) ? { ...connect } : {};
  const entries = listAt(rest, [mode === 'only' ? 'deny' : 'allow']);
  delete rest.allow;
  delete rest.deny;
  return setAt(
    plan,
    ['servers', server, 'connect'],
    mode === 'only' ? { ...rest, allow: entries } : { ...rest, deny: entries },
  );
}

/**
 * The account at `index` retyped as `text`, renamed everywhere it is named. While the text is empty or the name of
 * another account, only the list entry changes and the old name comes back as `pending`: the references wait for
 * the next keystroke instead of merging into the other account's or being lost. Pass it back as `origin`.
 */
export function editAccountName(
  plan: unknown,
  index: number,
  text: string,
  origin?: string,
): { plan: unknown; pending?: string } {
  const accounts = listAt(plan, ['accounts']);
  const current = accounts[index];
  const from = origin ?? (typeof current === 'string' ? current : undefined);
  const others = accounts.filter((_, at) => at !== index);
  const typed = setAt(plan, ['accounts', index], text);
  if (from === undefined || from === text || others.includes(from)) return { plan: typed };
  if (text === '' || others.includes(text)) return { plan: typed, pending: from };
  return { plan: renameAccount(setAt(plan, ['accounts', index], from), from, text) };
}
