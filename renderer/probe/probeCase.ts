// "Add to plan as a case": a quick probe written into the open plan as extra cases (one per recipient), with the
// expectation the user chose and the probe's outcome as the suggestion. Pure: the plan is the raw JSON the editor
// holds, and a new plan comes back (the editor's undo and dirty marker work as for any edit).
import type { OutcomeKind } from '../../shared/outcome.js';
import type { Expectation } from '../../shared/plan.js';
import type { ProbeSettings } from '../../shared/probe.js';

type Json = Record<string, unknown>;

/** What the probe's outcome suggests the plan should expect; undefined when it says nothing about relaying. */
export function suggestedExpectation(outcome: OutcomeKind): Expectation | undefined {
  switch (outcome) {
    case 'recipient-accepted':
      return 'relay';
    case 'recipient-rejected':
    case 'sender-rejected':
      return 'deny';
    case 'rejected-at-connect':
      return 'reject-at-connect';
    case 'auth-failed':
      return 'auth-fail';
    default:
      return undefined;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The name of the plan server at host:port (the port defaults to 25 as in the plan format), if any. */
export function planServerFor(plan: unknown, host: string, port: number): string | undefined {
  if (!isObject(plan)) return undefined;
  const found = list(plan.servers).find(
    (server) =>
      isObject(server) &&
      typeof server.host === 'string' &&
      server.host.toLowerCase() === host.toLowerCase() &&
      (server.port ?? 25) === port,
  );
  return isObject(found) && typeof found.name === 'string' ? found.name : undefined;
}

export interface ProbeCaseRequest {
  settings: ProbeSettings;
  /** The plan source the case connects from (an address or subnet; for a vantage point, one it serves). */
  source?: string;
  expect: Expectation;
  /** Add a server for host:port when the plan has none (the user said yes). */
  addServer: boolean;
}

export type ProbeCaseResult =
  | { plan: Json; caseIds: string[]; changes: string[] }
  /** The plan has no server at host:port and the user has not agreed to add one. */
  | { needsServer: string }
  | { problem: string };

function uniqueId(taken: Set<string>, wanted: string): string {
  let id = wanted;
  for (let number = 2; taken.has(id); number += 1) id = `${wanted}-${number}`;
  taken.add(id);
  return id;
}

function uniqueName(taken: readonly string[], wanted: string): string {
  let name = wanted;
  for (let number = 2; taken.includes(name); number += 1) name = `${wanted} (${number})`;
  return name;
}

/** The plan with the probe added as extra cases; what else had to change (a server, an account) is listed. */
export function addProbeAsCase(plan: unknown, request: ProbeCaseRequest): ProbeCaseResult {
  if (!isObject(plan)) return { problem: 'open or create a plan first' };
  const { settings } = request;
  const address = `${settings.host}:${settings.port}`;
  const changes: string[] = [];
  const next: Json = { ...plan };
  let server = planServerFor(plan, settings.host, settings.port);
  if (!server) {
    if (!request.addServer) return { needsServer: address };
    const servers = list(plan.servers);
    const names = servers.flatMap((entry) => (isObject(entry) && typeof entry.name === 'string' ? [entry.name] : []));
    server = uniqueName(names, `Server ${address}`);
    const added: Json = {
      name: server,
      host: settings.host,
      port: settings.port,
      tls: settings.tls,
      relay: { users: [], hosts: [] },
    };
    if (settings.certificate.mode === 'pin') added.certificateSha256 = settings.certificate.sha256;
    if (settings.certificate.mode === 'allow-invalid') added.allowInvalidCertificate = true;
    if (settings.helo) added.helo = settings.helo;
    next.servers = [...servers, added];
    changes.push(`added the server "${server}" (${address}); its relay policy is empty until you set it`);
  }
  const accounts = list(plan.accounts);
  if (settings.account && !accounts.includes(settings.account)) {
    next.accounts = [...accounts, settings.account];
    changes.push(`added the account ${settings.account}`);
  }
  if (settings.account && settings.mechanism) {
    const mechanisms = isObject(plan.accountMechanisms) ? plan.accountMechanisms : {};
    if (mechanisms[settings.account] === undefined) {
      next.accountMechanisms = { ...mechanisms, [settings.account]: settings.mechanism };
      changes.push(`${settings.account} signs in with ${settings.mechanism.toUpperCase()}`);
    }
  }
  const cases = list(plan.cases);
  const taken = new Set(cases.flatMap((entry) => (isObject(entry) && typeof entry.id === 'string' ? [entry.id] : [])));
  const who = settings.account ? `${settings.account}` : 'no login';
  const where = request.source ? `from ${request.source}` : 'from this machine';
  const caseIds: string[] = [];
  const added = settings.to.map((to) => {
    const id = uniqueId(taken, `probe/${server}/${settings.account ?? 'anonymous'}/${request.source ?? 'here'}/${to}`);
    caseIds.push(id);
    const entry: Json = { id, title: `Probe: ${who} ${where} to ${to} (${server})`, server };
    if (request.source) entry.source = request.source;
    if (settings.account) entry.account = settings.account;
    // The null sender is no plan address: such a case falls back to the plan's sender.
    if (settings.from !== '') entry.from = settings.from;
    entry.to = to;
    entry.expect = request.expect;
    return entry;
  });
  next.cases = [...cases, ...added];
  return { plan: next, caseIds, changes };
}
