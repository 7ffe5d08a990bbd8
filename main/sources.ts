// Which local address serves each source of a plan. A case is never run from the wrong address: when no local
// address fits, the case is "not runnable here" with the fix. On Linux the whole 127.0.0.0/8 is bindable; on
// macOS only configured aliases are, so each candidate is proven by binding it.
import net from 'node:net';
import os from 'node:os';
import { parseAddressSpec, representativeAddress, specContains, type AddressSpec } from '../shared/addressSpec.js';
import type { SourceBinding } from '../shared/run.js';
import { describeVantage, vantageFor, type VantagePoint } from '../shared/vantage.js';

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

/**
 * Binds every source. A vantage point that serves a source wins over a local address: the plan says where that
 * network's connections should come from (this machine may sit on a link into it without being part of it).
 */
export async function bindSources(sources: readonly string[], vantagePoints: readonly VantagePoint[] = []): Promise<SourceBinding[]> {
  const local = interfaceAddresses();
  return Promise.all(
    sources.map(async (source) => {
      const point = vantageFor(source, vantagePoints);
      return point ? { source, vantage: point.name, via: describeVantage(point) } : bindSource(source, local);
    }),
  );
}
