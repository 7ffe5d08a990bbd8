// The article's Table 1 kinds of relay and connection entries: a single IP address, a group of computers (a
// subnet, written as CIDR), or a domain (matched by the server through reverse DNS). Parsed with ipaddr.js.
import ipaddr from 'ipaddr.js';

export type AddressSpec =
  | { kind: 'address'; text: string; address: string; family: 4 | 6 }
  | { kind: 'subnet'; text: string; network: string; prefix: number; family: 4 | 6 }
  | { kind: 'domain'; text: string; domain: string };

const HOST_NAME =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function family(address: ipaddr.IPv4 | ipaddr.IPv6): 4 | 6 {
  return address.kind() === 'ipv4' ? 4 : 6;
}

/** Parses one entry; an error names what is wrong with it. */
export function parseAddressSpec(text: string): AddressSpec | { error: string } {
  const trimmed = text.trim();
  if (trimmed.includes('/')) {
    if (!ipaddr.isValidCIDR(trimmed)) {
      return { error: `"${text}" is not a valid subnet: write it as address/prefix, e.g. 192.168.1.0/24` };
    }
    const [address, prefix] = ipaddr.parseCIDR(trimmed);
    const network = networkOf(address, prefix);
    return { kind: 'subnet', text: trimmed, network: network.toString(), prefix, family: family(address) };
  }
  if (ipaddr.isValid(trimmed) && (trimmed.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(trimmed))) {
    const address = ipaddr.parse(trimmed);
    return { kind: 'address', text: trimmed, address: address.toString(), family: family(address) };
  }
  if (/^[\d.]+$/.test(trimmed)) return { error: `"${text}" is not a valid IPv4 address` };
  if (HOST_NAME.test(trimmed)) return { kind: 'domain', text: trimmed, domain: trimmed.toLowerCase() };
  return { error: `"${text}" is neither an IP address, a subnet (CIDR) nor a domain name` };
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = address.toByteArray();
  const masked = bytes.map((byte, index) => {
    const bits = Math.max(0, Math.min(8, prefix - index * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  return ipaddr.fromByteArray(masked);
}

/** Table 1's advice for each kind of entry, shown beside the field in the editor and in `sources`. */
export function addressSpecHint(spec: AddressSpec): string {
  switch (spec.kind) {
    case 'address':
      return 'single computer: give it a fixed address (not one from DHCP), or another machine may inherit the right to relay';
    case 'subnet':
      return `group of computers (${subnetSize(spec)}): know who can get an address in this subnet, since every one of them may relay`;
    case 'domain':
      return 'domain: the server matches it by reverse DNS (PTR records), which costs a lookup per connection and is only as trustworthy as that DNS';
  }
}

function subnetSize(spec: Extract<AddressSpec, { kind: 'subnet' }>): string {
  const bits = (spec.family === 4 ? 32 : 128) - spec.prefix;
  return bits > 20 ? `2^${bits} addresses` : `${2 ** bits} addresses`;
}

// Deriving a large plan's matrix compares the same few hundred addresses thousands of times; ipaddr.parse is the
// cost, so parsed addresses are kept (bounded: the cache starts over when full).
const parsedIps = new Map<string, ipaddr.IPv4 | ipaddr.IPv6 | undefined>();
const PARSED_IPS_LIMIT = 10_000;

function parseIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (parsedIps.has(address)) return parsedIps.get(address);
  if (parsedIps.size >= PARSED_IPS_LIMIT) parsedIps.clear();
  const parsed = parseIpOnce(address);
  parsedIps.set(address, parsed);
  return parsed;
}

const ipKeys = new Map<string, string | undefined>();

/** An address as one comparable string ("ipv4:10.0.0.1"), kept like parsedIps. */
function ipKey(address: string): string | undefined {
  if (ipKeys.has(address)) return ipKeys.get(address);
  if (ipKeys.size >= PARSED_IPS_LIMIT) ipKeys.clear();
  const parsed = parseIp(address);
  const key = parsed ? `${parsed.kind()}:${parsed.toString()}` : undefined;
  ipKeys.set(address, key);
  return key;
}

function parseIpOnce(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    const parsed = ipaddr.parse(address);
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it maps.
    return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  } catch {
    return undefined;
  }
}

const parsedNetworks = new Map<string, ipaddr.IPv4 | ipaddr.IPv6>();

/** A subnet's network address, parsed once (see parsedIps). */
function parsedNetwork(network: string): ipaddr.IPv4 | ipaddr.IPv6 {
  let parsed = parsedNetworks.get(network);
  if (!parsed) {
    if (parsedNetworks.size >= PARSED_IPS_LIMIT) parsedNetworks.clear();
    parsed = ipaddr.parse(network);
    parsedNetworks.set(network, parsed);
  }
  return parsed;
}

/**
 * Whether the address `ip` falls under `spec`. A domain entry cannot be decided without reverse DNS, so it
 * answers 'unknown'.
 */
export function specContains(spec: AddressSpec, ip: string): boolean | 'unknown' {
  const address = parseIp(ip);
  if (!address) return false;
  switch (spec.kind) {
    case 'address':
      return ipKey(spec.address) === ipKey(ip);
    case 'subnet': {
      const network = parsedNetwork(spec.network);
      return network.kind() === address.kind() && address.match(network, spec.prefix);
    }
    case 'domain':
      return 'unknown';
  }
}

interface ListIndex {
  /** The single addresses of the list as ipKey strings; subnets and domains are kept as entries. */
  addresses: Set<string>;
  others: AddressSpec[];
}

const listIndexes = new WeakMap<readonly AddressSpec[], ListIndex>();

/** A list's single addresses in a set, built once per list: a large plan asks about every source × server. */
function listIndex(list: readonly AddressSpec[]): ListIndex {
  let index = listIndexes.get(list);
  if (!index) {
    index = { addresses: new Set(), others: [] };
    for (const spec of list) {
      const key = spec.kind === 'address' ? ipKey(spec.address) : undefined;
      if (key !== undefined) index.addresses.add(key);
      else if (spec.kind !== 'address') index.others.push(spec);
    }
    listIndexes.set(list, index);
  }
  return index;
}

/** Whether any entry in `list` covers `ip`; 'unknown' when only a domain entry could. */
export function listContains(list: readonly AddressSpec[], ip: string): boolean | 'unknown' {
  const key = ipKey(ip);
  if (key === undefined) return false;
  const index = listIndex(list);
  if (index.addresses.has(key)) return true;
  let unknown = false;
  for (const spec of index.others) {
    const contained = specContains(spec, ip);
    if (contained === true) return true;
    if (contained === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

/** The address a source stands for when the matrix is derived: the address itself, or a subnet's first host. */
export function representativeAddress(spec: AddressSpec): string | undefined {
  if (spec.kind === 'address') return spec.address;
  if (spec.kind === 'domain') return undefined;
  const bytes = ipaddr.parse(spec.network).toByteArray();
  const hostBits = (spec.family === 4 ? 32 : 128) - spec.prefix;
  if (hostBits >= 2) bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) + 1;
  return ipaddr.fromByteArray(bytes).toString();
}
