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

function parseIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
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

/**
 * Whether the address `ip` falls under `spec`. A domain entry cannot be decided without reverse DNS, so it
 * answers 'unknown'.
 */
export function specContains(spec: AddressSpec, ip: string): boolean | 'unknown' {
  const address = parseIp(ip);
  if (!address) return false;
  switch (spec.kind) {
    case 'address': {
      const other = parseIp(spec.address);
      return other !== undefined && other.kind() === address.kind() && other.toString() === address.toString();
    }
    case 'subnet': {
      const network = ipaddr.parse(spec.network);
      return network.kind() === address.kind() && address.match(network, spec.prefix);
    }
    case 'domain':
      return 'unknown';
  }
}

/** Whether any entry in `list` covers `ip`; 'unknown' when only a domain entry could. */
export function listContains(list: readonly AddressSpec[], ip: string): boolean | 'unknown' {
  let unknown = false;
  for (const spec of list) {
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
