// Passwords for a plan's accounts: from a secrets file (JSON name -> password, readable by its owner only), or
// the environment (RELAY_TESTER_PASSWORD_<ACCOUNT>). They stay in memory and are never written anywhere.
// A secrets file entry may bind its password to servers: {"alice": {"password": "…", "servers": ["host:port"]}}.
import { isVantageSecretName } from '../shared/vantage.js';
import { promises as fs } from 'node:fs';
import { parseServerAddress, serverAddress } from '../shared/passwordBinding.js';
import type { PasswordLookup } from './runner.js';

/** A password given for a run; with `servers`, it is sent only to those (host:port). */
export interface Secret {
  password: string;
  servers?: string[];
}

export class SecretsError extends Error {}

export function passwordVariable(account: string): string {
  return `RELAY_TESTER_PASSWORD_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export async function readSecretsFile(file: string): Promise<Map<string, Secret>> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    throw new SecretsError(`cannot read secrets file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new SecretsError(
      `secrets file ${file} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    // The parser's message could quote the file's content, which holds passwords: say only where.
    throw new SecretsError(`secrets file ${file} is not valid JSON (expected {"account": "password", ...})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SecretsError(`secrets file ${file} must hold one JSON object: {"account": "password", ...}`);
  }
  const secrets = new Map<string, Secret>();
  for (const [account, entry] of Object.entries(value)) {
    if (typeof entry === 'string') secrets.set(account, { password: entry });
    else secrets.set(account, boundSecret(file, account, entry));
  }
  return secrets;
}

/** `{"password": "…", "servers": ["host:port", …]}`; the messages never quote the password. */
function boundSecret(file: string, account: string, entry: unknown): Secret {
  const where = `secrets file ${file}: the entry for "${account}"`;
  const shape = 'a password string or {"password": "…", "servers": ["host:port", …]}';
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new SecretsError(`${where} is not ${shape}`);
  const { password, servers, ...rest } = entry as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new SecretsError(`${where} has an unknown field "${unknown}" (expected ${shape})`);
  if (typeof password !== 'string') throw new SecretsError(`${where} has no "password" string`);
  if (!Array.isArray(servers) || servers.length === 0)
    throw new SecretsError(`${where} needs "servers": a list of at least one host:port`);
  const bound: string[] = [];
  for (const server of servers) {
    const parsed =
      typeof server === 'string' ? parseServerAddress(server) : { problem: 'a server must be a "host:port" string' };
    if ('problem' in parsed) throw new SecretsError(`${where}: ${parsed.problem}`);
    bound.push(parsed.address);
  }
  return { password, servers: bound };
}

/** The passwords of a run as the runner asks for them: a bound secret goes only to its servers. */
export function secretsLookup(secrets: ReadonlyMap<string, Secret>): PasswordLookup {
  return (account, { host, port }) => {
    const secret = secrets.get(account);
    if (!secret) return undefined;
    const server = serverAddress(host, port);
    if (!secret.servers || secret.servers.includes(server)) return { password: secret.password };
    return {
      refused: `${account}'s password in the secrets file is bound to ${secret.servers.join(', ')}; it is not sent to ${server}`,
    };
  };
}

/** The vantage points' secrets ("vantage:NAME" entries: a key passphrase, an SSH or SOCKS5 password). */
export function vantageSecretsOf(secrets: ReadonlyMap<string, Secret>): Map<string, string> {
  return new Map(
    [...secrets].filter(([name]) => isVantageSecretName(name)).map(([name, secret]) => [name, secret.password]),
  );
}

export function secretsFromEnvironment(accounts: readonly string[], environment = process.env): Map<string, Secret> {
  const secrets = new Map<string, Secret>();
  for (const account of accounts) {
    const value = environment[passwordVariable(account)];
    if (value !== undefined) secrets.set(account, { password: value });
  }
  return secrets;
}
