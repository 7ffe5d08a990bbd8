// Passwords are bound to servers: a stored password may be sent only to the servers (host:port) it was entered
// for. These are the pure parts: how a server is named, how a typed list of servers is read, and which
// (account, server) pairs of a run would send a stored password somewhere it is not allowed to go.

/** A server as passwords are bound to it: `host:port`, the host in lower case without a trailing dot, an IPv6
 * address in brackets. Names and addresses are not resolved: a password bound to a name is not sent to its IP. */
export function serverAddress(host: string, port: number): string {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  return name.includes(':') ? `[${name.replace(/^\[|\]$/g, '')}]:${port}` : `${name}:${port}`;
}

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?)$/i;

/** One server as the user typed it (`host:port`, `[v6]:port`), normalised, or why it is not one. */
export function parseServerAddress(text: string): { address: string } | { problem: string } {
  const trimmed = text.trim();
  const match = /^(.*):(\d{1,5})$/.exec(trimmed);
  if (!match) return { problem: `"${trimmed}" is not host:port (e.g. mail.example.com:587)` };
  const [, host = '', portText = ''] = match;
  const port = Number(portText);
  if (port < 1 || port > 65535) return { problem: `"${trimmed}": the port must be 1 to 65535` };
  if (!HOST.test(host.replace(/\.$/, '')))
    return { problem: `"${trimmed}": "${host}" is not a host name or address (IPv6 goes in brackets)` };
  return { address: serverAddress(host.replace(/^\[|\]$/g, ''), port) };
}

/** A list of servers typed by the user, separated by commas, spaces or new lines; duplicates dropped. */
export function parseServerList(text: string): { servers: string[] } | { problem: string } {
  const servers: string[] = [];
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    const parsed = parseServerAddress(item);
    if ('problem' in parsed) return parsed;
    if (!servers.includes(parsed.address)) servers.push(parsed.address);
  }
  if (servers.length === 0) return { problem: 'name at least one server (host:port) the password may be sent to' };
  return { servers };
}

/** The servers of a plan as the editor holds it (possibly invalid): those with a usable host and port. */
export function planServerAddresses(plan: unknown): string[] {
  const servers = (plan as { servers?: unknown } | undefined)?.servers;
  if (!Array.isArray(servers)) return [];
  const addresses: string[] = [];
  for (const server of servers as { host?: unknown; port?: unknown }[]) {
    if (typeof server?.host !== 'string' || typeof server.port !== 'number' || !Number.isInteger(server.port)) continue;
    const parsed = parseServerAddress(`${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`);
    if ('address' in parsed && !addresses.includes(parsed.address)) addresses.push(parsed.address);
  }
  return addresses;
}

/** A stored password about to go to a server it is not bound to: the user must allow or deny it first. */
export interface PasswordUse {
  account: string;
  server: string;
}

/** The user's answer for one such use: this run only, from now on (the binding grows), or not at all. */
export type ConsentDecision = 'once' | 'always' | 'deny';

/** Why a case does not send a stored password: said in the case's result, so the user knows what to change. */
export function notAllowedReason(account: string, server: string): string {
  return `${account}'s password is not allowed for ${server}; allow it in Plan → Passwords (or when asked before the run)`;
}

export function deniedReason(account: string, server: string): string {
  return `${account}'s password was not sent to ${server}: you denied it before the run`;
}
