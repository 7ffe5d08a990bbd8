// Plan problems (from checkPlan) and warnings (planWarnings) placed beside the fields they are about, by JSON path,
// and named in plain words for the summary.
import type { PlanProblem } from '../../shared/plan.js';
import { textAt } from './planEdit.js';

/** Problems about exactly this path. */
export function problemsAt(problems: readonly PlanProblem[], path: string): PlanProblem[] {
  return problems.filter((problem) => problem.path === path);
}

/** Problems about this path or anything inside it. */
export function problemsUnder(problems: readonly PlanProblem[], path: string): PlanProblem[] {
  return problems.filter(
    (problem) => problem.path === path || problem.path.startsWith(`${path}.`) || problem.path.startsWith(`${path}[`),
  );
}

/** The element that edits a path, or the nearest one above it, so a problem in the summary can focus its field. */
export function fieldFor(root: ParentNode, path: string): HTMLElement | undefined {
  let current = path;
  while (current.length > 1) {
    const found = [...root.querySelectorAll<HTMLElement>('[data-path]')].find(
      (element) => element.dataset.path === current,
    );
    if (found) return found;
    const parent = current.replace(/(\[[^\]]*\]|\.[^.[]+)$/, '');
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/** The keys of a JSON path as checkPlan writes it: $.servers[1].relay.hosts[0] -> servers, 1, relay, hosts, 0. */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.slice(1).matchAll(pattern)) {
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(JSON.parse(match[3]!) as string);
  }
  return keys;
}

const PLAN_FIELDS: Record<string, string> = {
  name: 'Plan name',
  sender: 'Sender',
  accounts: 'Accounts',
  sources: 'Sources',
  accountSource: 'Source of account cases',
  canary: 'Canary mailbox',
  servers: 'Servers',
  cases: 'Cases',
  vantagePoints: 'Vantage points',
  relayTesterPlan: 'Plan format version',
  addresses: 'Addresses',
  accountMechanisms: 'AUTH mechanisms of accounts',
};

const SERVER_FIELDS: Record<string, string> = {
  name: 'Name',
  host: 'Host',
  port: 'Port',
  tls: 'TLS',
  helo: 'EHLO name',
  authMechanism: 'AUTH mechanism',
  banner: 'Banner',
  certificateSha256: 'Certificate fingerprint',
  allowInvalidCertificate: 'Server certificate',
  tricksAccount: 'Tricks account',
  canary: 'Canary mailbox',
  senderMustMatchLogin: 'Sender must match login',
  'relay.mode': 'Relay restrictions',
  'relay.hosts': 'Relay list',
  'relay.users': 'Users with Relay permission',
  'relay.anyAuthenticated': 'Authenticated relay',
  relay: 'Relay restrictions',
  'connect.allow': 'Connection control list',
  'connect.deny': 'Connection control list',
  connect: 'Connection control',
};

const SETTINGS: Record<string, string> = {
  timeoutSeconds: 'Timeout',
  concurrency: 'Concurrency',
  data: 'Send a test message',
  retryGreylistSeconds: 'Greylisting retry',
};

/** The name a server is shown by in the editor: its name, or its place while it has none. */
export function serverLabel(plan: unknown, index: number): string {
  return textAt(plan, ['servers', index, 'name']).trim() || `Server ${index + 1}`;
}

/** What a JSON path is in the words of the editor's labels, e.g. "Port of SMTP Relay Virtual Server". */
export function describePath(plan: unknown, path: string): string {
  const keys = pathKeys(path);
  const [first, second, ...rest] = keys;
  if (first === undefined) return 'The plan';
  const entry = (label: string, index: unknown) => (typeof index === 'number' ? `${label}, entry ${index + 1}` : label);
  if (first === 'domains') {
    if (second === 'external') return 'External domain';
    return entry('Local domains', rest[0] ?? (typeof second === 'number' ? second : undefined));
  }
  if (first === 'servers' && typeof second === 'number') {
    const server = serverLabel(plan, second);
    const named = rest.filter((key) => typeof key === 'string').join('.');
    const index = rest.find((key) => typeof key === 'number');
    if (named === '') return server;
    const field = SERVER_FIELDS[named] ?? named;
    return `${entry(field, index)} of ${server}`;
  }
  if (first === 'settings' && typeof second === 'string') return `Run settings: ${SETTINGS[second] ?? second}`;
  if ((first === 'addresses' || first === 'accountMechanisms') && typeof second === 'string') {
    return `${PLAN_FIELDS[first]}: ${second}`;
  }
  if (first === 'cases' && typeof second === 'number') {
    const id = textAt(plan, ['cases', second, 'id']);
    return `Case ${id || second + 1}`;
  }
  if (first === 'vantagePoints' && typeof second === 'number') {
    return `Vantage point ${textAt(plan, ['vantagePoints', second, 'name']) || second + 1}`;
  }
  const label = typeof first === 'string' ? (PLAN_FIELDS[first] ?? first) : path;
  return entry(label, second);
}
