// Warnings about a valid plan that is probably not what its author meant: valid, so it runs, but a helpdesk should
// see them beside the field before trusting the verdict (e.g. 0.0.0.0/0 in a relay list makes an open relay).
// Pure; the app shows each beside its field (by JSON path), the CLI prints them with `plan check` and `run`.
import ipaddr from 'ipaddr.js';
import { parseAddressSpec, type AddressSpec } from './addressSpec.js';
import type { Plan, PlanProblem, PlanServer } from './plan.js';

/** A warning has the same shape as a problem: the JSON path of the field it is about, and plain words. */
export type PlanWarning = PlanProblem;

/**
 * Ranges a wide subnet may cover without reaching the internet: loopback, private (RFC 1918), link-local, carrier
 * NAT, unique local (RFC 4193). A subnet inside one of them is an organisation's own business.
 */
const INTERNAL_RANGES = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((range) => ipaddr.parseCIDR(range));

/** Prefixes shorter than these reach far across the internet: /7 on IPv4 is 2^25 addresses, /15 on IPv6 more. */
const WIDE_PREFIX = { 4: 8, 6: 16 } as const;

function isInternal(spec: Extract<AddressSpec, { kind: 'subnet' }>): boolean {
  const network = ipaddr.parse(spec.network);
  return INTERNAL_RANGES.some(
    ([range, prefix]) => range.kind() === network.kind() && spec.prefix >= prefix && network.match(range, prefix),
  );
}

/** What a relay-list entry of mode "only" opens up, when it reaches across the internet. */
function wideEntryWarning(entry: string): string | undefined {
  const spec = parseAddressSpec(entry);
  if ('error' in spec || spec.kind !== 'subnet' || spec.prefix >= WIDE_PREFIX[spec.family] || isInternal(spec)) {
    return undefined;
  }
  if (spec.prefix === 0) {
    return `${entry} is every ${spec.family === 4 ? 'IPv4' : 'IPv6'} address: it makes this server an open relay for anyone on the internet`;
  }
  const bits = (spec.family === 4 ? 32 : 128) - spec.prefix;
  return `${entry} covers 2^${bits} addresses across the internet: every one of them may relay, which makes this server nearly an open relay`;
}

/** The form two entries share when they mean the same computers (10.0.0.7/24 and 10.0.0.0/24; CORP.test and corp.test). */
function sameness(entry: string): string {
  const spec = parseAddressSpec(entry);
  if ('error' in spec) return entry.trim();
  switch (spec.kind) {
    case 'address':
      return spec.address;
    case 'subnet':
      return `${spec.network}/${spec.prefix}`;
    case 'domain':
      return spec.domain;
  }
}

/** A warning for each entry that repeats an earlier one of the same list. */
function duplicates(
  entries: readonly string[],
  at: string,
  listName: string,
  key: (entry: string) => string = sameness,
): PlanWarning[] {
  const seen = new Map<string, number>();
  const warnings: PlanWarning[] = [];
  entries.forEach((entry, index) => {
    const first = seen.get(key(entry));
    if (first === undefined) {
      seen.set(key(entry), index);
    } else {
      const same = entries[first] === entry ? `"${entry}"` : `"${entry}" (the same as "${entries[first]}")`;
      warnings.push({ path: `${at}[${index}]`, message: `${same} is already entry ${first + 1} of ${listName}` });
    }
  });
  return warnings;
}

/** A host a connection could reach: an IP address (IPv6 perhaps in brackets) or a host name. */
function isHostName(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare))) return true;
  if (/^[\d.]+$/.test(bare)) return false;
  return /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(
    bare,
  );
}

function serverWarnings(server: PlanServer, at: string): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (!isHostName(server.host)) {
    warnings.push({
      path: `${at}.host`,
      message: `"${server.host}" is not a valid host name or IP address, so no connection can reach it; check the spelling`,
    });
  }
  const mode = server.relay.mode ?? 'only';
  if (mode === 'allExcept' && server.relay.hosts.length === 0) {
    warnings.push({
      path: `${at}.relay.mode`,
      message:
        '"All except the list below" with an empty list lets every computer relay: this makes the server an open relay',
    });
  }
  if (server.relay.anyAuthenticated && server.relay.users.length > 0) {
    warnings.push({
      path: `${at}.relay.users`,
      message:
        'Any account that authenticates may relay here ("Allow all computers which successfully authenticate"), so this list of users changes nothing',
    });
  }
  warnings.push(...duplicates(server.relay.users, `${at}.relay.users`, 'the users allowed to relay', (user) => user));
  if (mode === 'only') {
    server.relay.hosts.forEach((entry, index) => {
      const message = wideEntryWarning(entry);
      if (message) warnings.push({ path: `${at}.relay.hosts[${index}]`, message });
    });
  }
  warnings.push(...duplicates(server.relay.hosts, `${at}.relay.hosts`, 'the relay list'));
  const allow = server.connect?.allow;
  if (allow && allow.length === 0 && (server.connect?.deny.length ?? 0) === 0) {
    warnings.push({
      path: `${at}.connect.allow`,
      message: 'Connection control "Only the list below" with an empty list refuses every computer at connect',
    });
  }
  warnings.push(...duplicates(server.connect?.deny ?? [], `${at}.connect.deny`, 'the connection list'));
  warnings.push(...duplicates(allow ?? [], `${at}.connect.allow`, 'the connection list'));
  return warnings;
}

/** Every warning about a valid plan, in the order of the fields they are about. */
export function planWarnings(plan: Plan): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  warnings.push(
    ...duplicates(plan.domains.local, '$.domains.local', 'the local domains', (domain) => domain.toLowerCase()),
  );
  if (plan.domains.local.some((local) => local.toLowerCase() === plan.domains.external.toLowerCase())) {
    warnings.push({
      path: '$.domains.external',
      message: `The external domain ${plan.domains.external} is also a local domain, so no case would test relaying`,
    });
  }
  warnings.push(...duplicates(plan.sources, '$.sources', 'the sources, so its cases would run twice under one name'));
  plan.servers.forEach((server, index) => warnings.push(...serverWarnings(server, `$.servers[${index}]`)));
  return warnings;
}
