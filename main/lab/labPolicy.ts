// The lab's decisions, as an Exchange 2003 virtual server makes them: may this computer connect, and may this
// session relay to this recipient. Pure functions over the configuration; the server only calls them and replies.
import { parseAddressSpec, specContains } from '../../shared/addressSpec.js';
import { accountGroups, type ComputerList, type LabAccount, type VirtualServerConfig } from './labConfig.js';

export interface Decision {
  allowed: boolean;
  /** One sentence a log reader can follow. */
  reason: string;
  /** Entries that could not be judged (domain entries need reverse DNS, which the lab does not do). */
  notes: string[];
}

export interface ListMatch {
  /** The entry that covers the address, when one does. */
  entry?: string;
  notes: string[];
}

/** Whether an entry of an Exchange computer list (Table 1: address, group of computers, domain) covers `address`. */
export function matchComputerList(entries: readonly string[], address: string): ListMatch {
  const notes: string[] = [];
  for (const entry of entries) {
    const spec = parseAddressSpec(entry);
    if ('error' in spec) {
      notes.push(`entry ${entry} ignored: ${spec.error}`);
      continue;
    }
    const contains = specContains(spec, address);
    if (contains === 'unknown') {
      notes.push(
        `domain entry ${entry} not matched: it needs a reverse DNS (PTR) lookup of ${address}, which the lab does not do on loopback`,
      );
    } else if (contains) {
      return { entry, notes };
    }
  }
  return { notes };
}

/** Whether a list grants `address`: "Only the list below" grants listed computers, "All except" the others. */
function listGrants(list: ComputerList, address: string): { granted: boolean; entry?: string; notes: string[] } {
  const match = matchComputerList(list.entries, address);
  const listed = match.entry !== undefined;
  return { granted: list.grant === 'only-list' ? listed : !listed, entry: match.entry, notes: match.notes };
}

/** Access > Connection: may this computer open a session at all (refused with a 5xx greeting when not). */
export function connectionDecision(server: Pick<VirtualServerConfig, 'connection'>, address: string): Decision {
  const { granted, entry, notes } = listGrants(server.connection, address);
  const how =
    server.connection.grant === 'only-list'
      ? 'only the listed computers may connect'
      : 'all except the listed computers may connect';
  const reason = granted
    ? entry
      ? `${address} may connect: it is listed (${entry}) and ${how}`
      : server.connection.grant === 'all-except-list'
        ? `${address} may connect: it is not in the connection list of refused computers`
        : `${address} may connect`
    : entry
      ? `${address} is refused by connection control: it is listed (${entry}) and ${how}`
      : `${address} is refused by connection control: it is not listed and ${how}`;
  return { allowed: granted, reason, notes };
}

export function recipientDomain(recipient: string): string {
  return recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
}

export function isLocalRecipient(localDomains: readonly string[], recipient: string): boolean {
  const domain = recipientDomain(recipient);
  return localDomains.some((local) => local.toLowerCase() === domain);
}

export interface RelayRequest {
  /** The client's IP address as the server sees it. */
  client: string;
  /** The account the session authenticated as, if any. */
  account?: LabAccount;
  recipient: string;
}

/**
 * Access > Relay, in Exchange 2003's order: a local recipient is no relay at all; a computer granted by the relay
 * list relays without authenticating; an authenticated account relays when "allow all computers which successfully
 * authenticate" is checked (Exchange 2000 knew only this switch) or, with it cleared, when the account or one of its
 * groups has Relay Permission (Exchange 2003's Users button, e.g. SMTP-APPROVED).
 */
export function relayDecision(
  server: Pick<VirtualServerConfig, 'relay'>,
  localDomains: readonly string[],
  request: RelayRequest,
): Decision {
  const { client, account, recipient } = request;
  if (isLocalRecipient(localDomains, recipient)) {
    return {
      allowed: true,
      reason: `${recipientDomain(recipient)} is a local domain: accepted from anyone, no relaying involved`,
      notes: [],
    };
  }
  const computers = listGrants(server.relay.computers, client);
  if (computers.granted) {
    const reason = computers.entry
      ? `${client} may relay: it is in the relay list (${computers.entry})`
      : `${client} may relay: the relay list grants all computers except those listed, and it is not listed`;
    return { allowed: true, reason, notes: computers.notes };
  }
  const notListed =
    server.relay.computers.grant === 'only-list'
      ? `${client} is not in the relay list`
      : `${client} is excluded by the relay list (${computers.entry})`;
  if (!account) {
    return { allowed: false, reason: `${notListed} and did not authenticate`, notes: computers.notes };
  }
  if (server.relay.allowAllAuthenticated) {
    return {
      allowed: true,
      reason: `${account.name} authenticated, and every account that authenticates may relay ("allow all computers which successfully authenticate")`,
      notes: computers.notes,
    };
  }
  const groups = accountGroups(account).map((group) => group.toLowerCase());
  const permitted = server.relay.relayPermission.find(
    (holder) => holder.toLowerCase() === account.name.toLowerCase() || groups.includes(holder.toLowerCase()),
  );
  if (permitted) {
    const via = permitted.toLowerCase() === account.name.toLowerCase() ? 'the account' : `its group ${permitted}`;
    return {
      allowed: true,
      reason: `${account.name} authenticated and ${via} has Relay Permission`,
      notes: computers.notes,
    };
  }
  const holders = server.relay.relayPermission.length ? server.relay.relayPermission.join(', ') : 'nobody';
  return {
    allowed: false,
    reason: `${notListed}, and ${account.name} authenticated but has no Relay Permission (granted to: ${holders})`,
    notes: computers.notes,
  };
}

/** The lab's OAuth access tokens for an account: one that works and one that has expired (lab-only, printed). */
export function labAccessTokens(account: LabAccount): { valid: string; expired: string } {
  return { valid: `${account.name}-lab-token`, expired: `${account.name}-lab-token-expired` };
}

/** Checks an XOAUTH2 access token, as Microsoft 365 would: valid, expired, or not a token of this account. */
export function tokenDecision(
  account: LabAccount | undefined,
  token: string | null | undefined,
): 'valid' | 'expired' | 'wrong' {
  if (!account || typeof token !== 'string') return 'wrong';
  const tokens = labAccessTokens(account);
  return token === tokens.valid ? 'valid' : token === tokens.expired ? 'expired' : 'wrong';
}

/** Checks a password for a plain mechanism (LOGIN, PLAIN); CRAM-MD5 is checked by smtp-server's validator. */
export function passwordMatches(account: LabAccount | undefined, password: string | null | undefined): boolean {
  return account !== undefined && typeof password === 'string' && account.password === password;
}

export interface TrickAddress {
  /** Which trick the address uses. */
  form: 'percent hack' | 'bang path' | 'quoted local part';
  /** The local part as a mailbox name, when a server treats the address as local. */
  mailbox: string;
  /** Where a server that honours the trick routes it (resolved through every hop that stays local). */
  destination: string;
}

const DOMAIN = /^(\[[^\]]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/i;

/** One hop of routing a local part: the percent hack (rightmost %), a bang path (first !) or a quoted address. */
function routeLocalPart(localPart: string): Omit<TrickAddress, 'mailbox'> | undefined {
  if (localPart.length > 1 && localPart.startsWith('"') && localPart.endsWith('"') && localPart.includes('@')) {
    return { form: 'quoted local part', destination: localPart.slice(1, -1) };
  }
  const percent = localPart.lastIndexOf('%');
  if (percent > 0 && DOMAIN.test(localPart.slice(percent + 1))) {
    return { form: 'percent hack', destination: `${localPart.slice(0, percent)}@${localPart.slice(percent + 1)}` };
  }
  const bang = localPart.indexOf('!');
  if (bang > 0 && bang < localPart.length - 1 && DOMAIN.test(localPart.slice(0, bang))) {
    return { form: 'bang path', destination: `${localPart.slice(bang + 1)}@${localPart.slice(0, bang)}` };
  }
  return undefined;
}

/**
 * Whether a recipient of a local domain routes elsewhere through its local part, as old mail software read it
 * (docs/address-tricks.md). Undefined for an ordinary address or one of a domain that is not local.
 */
export function addressTrick(localDomains: readonly string[], recipient: string): TrickAddress | undefined {
  const at = recipient.lastIndexOf('@');
  if (at <= 0 || !isLocalRecipient(localDomains, recipient)) return undefined;
  const mailbox = recipient.slice(0, at);
  const first = routeLocalPart(mailbox);
  if (!first) return undefined;
  const form = first.form;
  let hop: Omit<TrickAddress, 'mailbox'> = first;
  // A hop that lands on a local domain again is routed again (x%external.example%corp.test@corp.test), at most a few.
  for (let depth = 0; depth < 5 && isLocalRecipient(localDomains, hop.destination); depth += 1) {
    const inner: number = hop.destination.lastIndexOf('@');
    const next: Omit<TrickAddress, 'mailbox'> | undefined =
      inner > 0 ? routeLocalPart(hop.destination.slice(0, inner)) : undefined;
    if (!next) break;
    hop = next;
  }
  return { form, mailbox, destination: hop.destination };
}
