// Forward-confirmed reverse DNS: how a server matches a domain relay entry (the article's third kind). An address
// belongs to a domain when its PTR name is in the domain AND that name resolves back to the same address; a PTR
// alone is whatever the address's owner chose to write, so it proves nothing.
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** The two look-ups the check needs; injectable so that tests can use a DNS server of their own. */
export interface ReverseResolver {
  reverse(address: string): Promise<string[]>;
  forward(name: string, family: 4 | 6): Promise<string[]>;
}

/** Where the check's DNS server comes from when the caller names none: RELAY_TESTER_DNS_SERVER ("host" or "host:port"). */
export const DNS_SERVER_VARIABLE = 'RELAY_TESTER_DNS_SERVER';

/** 10.77.1.2 → 2.1.77.10.in-addr.arpa; an IPv6 address → its nibbles under ip6.arpa. */
export function reverseName(address: string): string {
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return `${parsed.toByteArray().reverse().join('.')}.in-addr.arpa`;
  const nibbles = parsed
    .toByteArray()
    .flatMap((byte) => [byte >> 4, byte & 15])
    .map((nibble) => nibble.toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** The real resolver: the system's DNS servers, or the one named (an address, optionally with a port). */
export function dnsResolver(server = process.env[DNS_SERVER_VARIABLE]): ReverseResolver {
  const resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
  if (server) resolver.setServers([server]);
  const none = (error: unknown): string[] => {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    throw new Error(`DNS look-up failed (${code ?? (error as Error).message})${server ? ` at ${server}` : ''}`);
  };
  return {
    // resolvePtr rather than reverse(): reverse() reports an unreachable server as ENOTFOUND ("no name").
    reverse: (address) => resolver.resolvePtr(reverseName(address)).catch(none),
    forward: (name, family) => (family === 4 ? resolver.resolve4(name) : resolver.resolve6(name)).catch(none),
  };
}

export type ReverseMatch =
  | { matched: true; name: string }
  /** `kind`: no PTR or a name outside the domain ("elsewhere"), a name that does not resolve back, a failed look-up. */
  | { matched: false; why: string; kind: 'elsewhere' | 'unconfirmed' | 'lookup-failed' };

function inDomain(name: string, domain: string): boolean {
  const plain = name.replace(/\.$/, '').toLowerCase();
  const wanted = domain.replace(/\.$/, '').toLowerCase();
  return plain === wanted || plain.endsWith(`.${wanted}`);
}

function sameAddress(a: string, b: string): boolean {
  try {
    return ipaddr.process(a).toString() === ipaddr.process(b).toString();
  } catch {
    return false;
  }
}

/**
 * Whether `address` has a forward-confirmed reverse DNS name in `domain`, and which one; or, in the user's words, why
 * not (no PTR, a name outside the domain, a name that does not resolve back, a failed look-up).
 */
export async function confirmedNameIn(
  address: string,
  domain: string,
  resolver: ReverseResolver,
): Promise<ReverseMatch> {
  let names: string[];
  try {
    names = await resolver.reverse(address);
  } catch (error) {
    return { matched: false, why: `${address}: ${(error as Error).message}`, kind: 'lookup-failed' };
  }
  if (names.length === 0) return { matched: false, why: `${address} has no reverse name (PTR)`, kind: 'elsewhere' };
  const inside = names.filter((name) => inDomain(name, domain));
  if (inside.length === 0)
    return { matched: false, why: `${address} is ${names.join(', ')}, not in ${domain}`, kind: 'elsewhere' };
  const family = ipaddr.process(address).kind() === 'ipv4' ? 4 : 6;
  const unconfirmed: string[] = [];
  for (const name of inside) {
    let back: string[];
    try {
      back = await resolver.forward(name, family);
    } catch (error) {
      unconfirmed.push(`${name} could not be resolved back (${(error as Error).message})`);
      continue;
    }
    if (back.some((candidate) => sameAddress(candidate, address)))
      return { matched: true, name: name.replace(/\.$/, '') };
    unconfirmed.push(
      back.length === 0
        ? `${name} does not resolve back to any address`
        : `${name} resolves to ${back.join(', ')}, not back to ${address}`,
    );
  }
  return {
    matched: false,
    why: `${address} is ${inside.join(', ')}, but ${unconfirmed.join('; ')}: the reverse name is not forward-confirmed`,
    kind: 'unconfirmed',
  };
}
