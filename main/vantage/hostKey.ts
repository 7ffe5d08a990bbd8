// SSH host key checks: OpenSSH-style SHA-256 fingerprints and known_hosts files (plain and hashed host names),
// so a vantage point's key is verified exactly as `ssh` would, and an unknown or changed key is never accepted.
import { createHash, createHmac } from 'node:crypto';

/** "SHA256:" and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Fingerprints compare without their padding; OpenSSH prints none, some tools add it. */
export function sameFingerprint(a: string, b: string): boolean {
  const normal = (value: string) => value.trim().replace(/=+$/, '');
  return normal(a) === normal(b);
}

/** How known_hosts names a host: bare for port 22, "[host]:port" otherwise. */
function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern === name;
}

/**
 * The keys a known_hosts file holds for host:port (base64 blobs). Negated, wildcard and @revoked entries are not
 * trusted here: a vantage point is one named machine, and an entry we cannot read exactly is no permission.
 */
export function knownHostKeys(knownHosts: string, host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const keys: string[] = [];
  for (const raw of knownHosts.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, , key] = line.split(/\s+/);
    if (!hosts || !key) continue;
    if (hosts.split(',').some((pattern) => hostMatches(pattern, name))) keys.push(key);
  }
  return keys;
}
