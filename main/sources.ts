// Which local address serves each source of a plan. A case is never run from the wrong address: when no local
// address fits, the case is "not runnable here" with the fix. On Linux the whole 127.0.0.0/8 is bindable; on
// macOS only configured aliases are, so each candidate is proven by binding it.
import net from 'node:net';
import os from 'node:os';
import { parseAddressSpec, representativeAddress, specContains, type AddressSpec } from '../shared/addressSpec.js';
import type { SourceBinding } from '../shared/run.js';
import { describeVantage, vantageFor, type VantagePoint } from '../shared/vantage.js';
import { confirmedNameIn, dnsResolver, type ReverseResolver } from './reverseDns.js';

function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => info !== undefined)
    .map((info) => info.address.replace(/%.*$/, ''));
}

/** Whether this machine lets a socket bind `address` (proves it, rather than guessing from the platform). */
export function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port: 0, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const LOOPBACK_V4 = parseAddressSpec('127.0.0.0/8') as AddressSpec;

function candidates(spec: AddressSpec, local: string[]): string[] {
  if (spec.kind === 'domain') return [];
  const inside = local.filter((address) => specContains(spec, address) === true);
  const representative = representativeAddress(spec);
  // The loopback range is bindable whole on Linux: its representative address serves even when not configured.
  if (representative && !inside.includes(representative) && specContains(LOOPBACK_V4, representative) === true) {
    inside.unshift(representative);
  }
  return inside;
}

export async function bindSource(source: string, local = interfaceAddresses()): Promise<SourceBinding> {
  const spec = parseAddressSpec(source);
  if ('error' in spec) return { source, reason: spec.error };
  if (spec.kind === 'domain') {
    return {
      source,
      reason: `${source} is a domain (matched by the server through reverse DNS): run from a computer whose address resolves into it, and list that address as the source`,
    };
  }
  for (const candidate of candidates(spec, local)) {
    if (await canBind(candidate)) return { source, local: candidate };
  }
  const fix =
    spec.kind === 'address'
      ? `${spec.address} is not an address of this machine: add it as an alias or run from that computer`
      : `no local address in ${spec.text}: add an alias or run from that subnet`;
  return { source, reason: fix };
}

/** The addresses a vantage point's connections come from, as far as the plan says: its single-address `serves`, else its host when that is an address. */
function vantageAddresses(point: VantagePoint): string[] {
  const single = point.serves
    .map((entry) => parseAddressSpec(entry))
    .flatMap((spec) => ('error' in spec || spec.kind !== 'address' ? [] : [spec.address]));
  if (single.length > 0) return single;
  const host = point.ssh?.host ?? point.socks5?.host ?? '';
  const spec = parseAddressSpec(host);
  return !('error' in spec) && spec.kind === 'address' ? [spec.address] : [];
}

/**
 * A domain source, as the server would match it: served by a vantage point (those that list the domain in
 * `serves` first) or else a local address whose forward-confirmed reverse name is in the domain. The binding names
 * the name that matched; when none does, its reason says why for each address tried.
 */
export async function bindDomainSource(
  source: string,
  domain: string,
  vantagePoints: readonly VantagePoint[],
  local: readonly string[],
  resolver: ReverseResolver,
): Promise<SourceBinding> {
  const listing = (point: VantagePoint) => point.serves.some((entry) => entry.trim().toLowerCase() === domain);
  const ordered = [...vantagePoints.filter(listing), ...vantagePoints.filter((point) => !listing(point))];
  const misses: string[] = [];
  for (const point of ordered) {
    const addresses = vantageAddresses(point);
    if (addresses.length === 0 && listing(point))
      misses.push(`vantage point ${point.name}: its address is unknown (list it in serves)`);
    for (const address of addresses) {
      const match = await confirmedNameIn(address, domain, resolver);
      if (match.matched)
        return { source, vantage: point.name, via: describeVantage(point), reverseName: match.name, address };
      // Why a vantage point meant for the domain does not serve it; for the others, only what is worth knowing.
      if (listing(point) || match.kind !== 'elsewhere') misses.push(`vantage point ${point.name}: ${match.why}`);
    }
  }
  // This machine's addresses are looked up at once (a slow DNS server costs one timeout, not one per address).
  const addresses = local.filter((candidate) => !candidate.startsWith('fe80:'));
  const matches = await Promise.all(addresses.map((address) => confirmedNameIn(address, domain, resolver)));
  for (const [index, match] of matches.entries()) {
    const address = addresses[index]!;
    if (match.matched && (await canBind(address))) return { source, local: address, reverseName: match.name, address };
    if (!match.matched && match.kind !== 'elsewhere') misses.push(`this machine's ${match.why}`);
  }
  const tried = misses.length > 0 ? ` (${misses.join('; ')})` : '';
  return {
    source,
    reason: `no address of this machine or of a vantage point has a forward-confirmed reverse DNS name in ${domain}${tried}: run from a computer whose address resolves into it and back, or add a vantage point there`,
  };
}

/**
 * Binds every source. A vantage point that serves a source wins over a local address: the plan says where that
 * network's connections should come from (this machine may sit on a link into it without being part of it).
 * Domain sources are bound through forward-confirmed reverse DNS (`resolver`, by default the real one).
 */
export async function bindSources(
  sources: readonly string[],
  vantagePoints: readonly VantagePoint[] = [],
  options: { resolver?: ReverseResolver; local?: string[] } = {},
): Promise<SourceBinding[]> {
  const local = options.local ?? interfaceAddresses();
  let resolver = options.resolver;
  return Promise.all(
    sources.map(async (source): Promise<SourceBinding> => {
      const spec = parseAddressSpec(source);
      if (!('error' in spec) && spec.kind === 'domain') {
        resolver ??= dnsResolver();
        return bindDomainSource(source, spec.domain, vantagePoints, local, resolver);
      }
      const point = vantageFor(source, vantagePoints);
      return point ? { source, vantage: point.name, via: describeVantage(point) } : await bindSource(source, local);
    }),
  );
}
