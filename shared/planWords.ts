// Plan problems in the words of the person who filled the field in, not of the validator: "Port must be from 1 to
// 65535", not "Too big: expected number to be <=65535". A zod error map used when a plan is checked, so the CLI and
// the app say the same; each message reads well on its own, since the editor shows it beside the field (the JSON
// path stays in PlanProblem.path). Messages a schema sets itself ({ error }) come first; this covers the rest.
import type { z } from 'zod';

interface FieldWords {
  /** The field's name as a sentence starts with it, e.g. "Port". */
  label: string;
  /** What to say when it is empty or missing, e.g. "Enter a host name or IP address". */
  empty?: string;
}

/** Fields by the last key of their path (and the key before it where the same name means different things). */
const FIELDS: Record<string, FieldWords> = {
  relayTesterPlan: { label: 'The plan format version' },
  'plan.name': { label: 'Plan name', empty: 'Enter a name for the plan' },
  'servers.name': { label: 'Server name', empty: 'Enter a name for the server' },
  'vantagePoints.name': { label: 'Vantage point name', empty: 'Enter a name for the vantage point' },
  host: { label: 'Host', empty: 'Enter a host name or IP address' },
  port: { label: 'Port', empty: 'Enter a port from 1 to 65535' },
  tls: { label: 'TLS' },
  helo: { label: 'EHLO name', empty: 'Enter an EHLO name' },
  banner: { label: 'Banner', empty: 'Enter the name the greeting must contain' },
  authMechanism: { label: 'AUTH mechanism' },
  certificateSha256: { label: 'Certificate fingerprint' },
  allowInvalidCertificate: { label: 'Accept any certificate' },
  mode: { label: 'Relay restrictions' },
  anyAuthenticated: { label: 'Allow all computers which successfully authenticate to relay' },
  users: { label: 'Users allowed to relay' },
  'users.item': { label: 'Account name', empty: 'Enter an account name' },
  hosts: { label: 'The relay list' },
  'hosts.item': { label: 'Relay list entry', empty: 'Enter an IP address, a subnet or a domain' },
  deny: { label: 'The connection list' },
  'deny.item': { label: 'Connection list entry', empty: 'Enter an IP address, a subnet or a domain' },
  allow: { label: 'The connection list' },
  'allow.item': { label: 'Connection list entry', empty: 'Enter an IP address, a subnet or a domain' },
  senderMustMatchLogin: { label: 'Sender must match the login' },
  tricks: { label: 'Address tricks' },
  tricksAccount: { label: 'Tricks account', empty: 'Enter an account name' },
  canary: { label: 'Canary mailbox', empty: 'Enter a mail address' },
  sender: { label: 'Sender', empty: 'Enter the sender mail address' },
  accounts: { label: 'Accounts', empty: 'List the accounts to test as (the list may be empty)' },
  'accounts.item': { label: 'Account name', empty: 'Enter an account name' },
  addresses: { label: 'Account addresses' },
  accountMechanisms: { label: 'Account mechanisms' },
  sources: { label: 'Sources', empty: 'List the client addresses to test from (the list may be empty)' },
  'sources.item': { label: 'Source', empty: 'Enter an IP address, a subnet or a domain' },
  accountSource: { label: 'Account source', empty: 'Enter an IP address, a subnet or a domain' },
  servers: { label: 'Servers', empty: 'Add at least one server' },
  domains: { label: 'Domains', empty: 'Give the local domains and an external domain' },
  local: { label: 'Local domains', empty: 'Add at least one local domain' },
  'local.item': { label: 'Local domain', empty: 'Enter a domain name such as corp.example' },
  external: { label: 'External domain', empty: 'Enter a domain outside the organisation' },
  cases: { label: 'Cases' },
  id: { label: 'Case id', empty: 'Enter a case id' },
  title: { label: 'Case title' },
  source: { label: 'Source', empty: 'Enter an IP address, a subnet or a domain' },
  account: { label: 'Account', empty: 'Enter an account name' },
  wrongPassword: { label: 'Wrong password' },
  from: { label: 'MAIL FROM', empty: 'Enter a mail address' },
  to: { label: 'Recipient' },
  expect: { label: 'Expectation' },
  skip: { label: 'Skip' },
  settings: { label: 'Settings' },
  concurrency: { label: 'Concurrency' },
  timeoutSeconds: { label: 'Timeout' },
  data: { label: 'Send a test message' },
  retryGreylistSeconds: { label: 'Greylisting retry' },
  vantagePoints: { label: 'Vantage points' },
  relay: { label: 'Relay settings' },
  connect: { label: 'Connection control' },
  ntlm: { label: 'NTLM settings' },
  domain: { label: 'NTLM domain', empty: 'Enter a Windows domain name' },
  workstation: { label: 'NTLM workstation', empty: 'Enter a workstation name' },
};

/** Lists of groups of settings, whose entries are named by number ("Server 2"). */
const ITEMS: Record<string, string> = { servers: 'Server', cases: 'Case', vantagePoints: 'Vantage point' };

/** "serverName" → "Server name": the fallback for a field not in the table. */
function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a field is named, from its path in the plan. */
export function fieldWords(path: readonly PropertyKey[]): FieldWords {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number') {
    const list = String(parent ?? '');
    const item = ITEMS[list];
    if (item) return { label: `${item} ${last + 1}` };
    return (
      FIELDS[`${list}.item`] ?? {
        label: `Entry ${last + 1} of ${(FIELDS[list]?.label ?? humanise(list)).toLowerCase()}`,
      }
    );
  }
  const key = String(last ?? 'plan');
  const owner =
    path.length === 1 ? 'plan' : typeof parent === 'number' ? String(path[path.length - 3]) : String(parent);
  return FIELDS[`${owner}.${key}`] ?? FIELDS[key] ?? { label: humanise(key) };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of settings',
  record: 'a group of settings',
};

function list(values: readonly unknown[]): string {
  const words = values.map((value) => String(value));
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function plural(count: number | bigint, one: string, many: string): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

/**
 * The plain-words message of one zod issue of a plan, or undefined to keep zod's own (a message the schema set).
 * Used as the error map of the plan's safeParse.
 */
export function planIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const path = issue.path ?? [];
  const field = fieldWords(path);
  const { label } = field;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return field.empty ?? `${label}: this setting is required`;
      if (issue.expected === 'int') return `${label} must be a whole number`;
      return `${label} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `${label} must be ${JSON.stringify(issue.values[0])}`
        : `${label} must be one of ${list(issue.values.map((value) => JSON.stringify(value)))}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `"${key}"`);
      const where = path.length === 0 ? 'the plan' : label.charAt(0).toLowerCase() + label.slice(1);
      return keys.length === 1
        ? `Unknown setting ${keys[0]} in ${where}: check its spelling or remove it`
        : `Unknown settings ${list(keys)} in ${where}: check their spelling or remove them`;
    }
    case 'too_small': {
      const minimum = issue.minimum;
      if (issue.origin === 'string') {
        return Number(minimum) <= 1
          ? (field.empty ?? `${label} must not be empty`)
          : `${label} must be at least ${plural(minimum, 'character', 'characters')} long`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return Number(minimum) <= 1
          ? (field.empty ?? `${label} needs at least one entry`)
          : `${label} needs at least ${plural(minimum, 'entry', 'entries')}`;
      }
      return issue.inclusive === false
        ? `${label} must be more than ${minimum}`
        : `${label} must be at least ${minimum}`;
    }
    case 'too_big': {
      const maximum = issue.maximum;
      if (issue.origin === 'string')
        return `${label} must be at most ${plural(maximum, 'character', 'characters')} long`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `${label} may hold at most ${plural(maximum, 'entry', 'entries')}`;
      }
      return issue.inclusive === false
        ? `${label} must be less than ${maximum}`
        : `${label} must be at most ${maximum}`;
    }
    case 'invalid_format':
      return `${label} is not in the expected form`;
    case 'invalid_key': {
      // The path ends with the offending key itself; the field is the group holding it.
      const group = fieldWords(path.slice(0, -1)).label.toLowerCase();
      return `Each name in ${group} must be an account name, without control characters`;
    }
    case 'invalid_union':
      return `${label} is not valid here`;
    default:
      return undefined;
  }
}
