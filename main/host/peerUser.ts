// Which user owns the other end of a loopback TCP connection. On Linux the kernel lists every IPv4 TCP socket
// with its owner's uid in /proc/net/tcp (as identd reads it), so the host can tell its own user's browser from
// another user's process on the same machine, which a cookie or an Origin header cannot.
import { promises as fs } from 'node:fs';

/** "127.0.0.1" and 41234 as /proc/net/tcp writes them: the address in host byte order (little-endian), hex. */
export function procAddress(address: string, port: number): string {
  const octets = address
    .replace(/^::ffff:/, '')
    .split('.')
    .map(Number);
  const hex = octets
    .reverse()
    .map((octet) => octet.toString(16).padStart(2, '0'))
    .join('');
  return `${hex}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}

/** The uid that owns the socket `local` → `remote` in a /proc/net/tcp listing, or undefined when not listed. */
export function socketOwner(table: string, local: string, remote: string): number | undefined {
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return Number(fields[7]);
  }
  return undefined;
}

export interface Peer {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
}

/**
 * True when the process at the other end of `peer` runs as this process's user. Where the kernel does not say
 * (not Linux), it answers true: the session cookie and the Origin check still guard the host there.
 */
export async function peerIsSameUser(peer: Peer, table = '/proc/net/tcp'): Promise<boolean> {
  const uid = process.getuid?.();
  if (process.platform !== 'linux' || uid === undefined) return true;
  const { remoteAddress, remotePort, localAddress, localPort } = peer;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return false;
  let listing: string;
  try {
    listing = await fs.readFile(table, 'utf8');
  } catch {
    return true; // /proc not mounted (some containers): nothing to read the owner from
  }
  // The client's own socket: its local end is our remote end.
  const owner = socketOwner(listing, procAddress(remoteAddress, remotePort), procAddress(localAddress, localPort));
  return owner === uid;
}
