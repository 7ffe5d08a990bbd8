// Passwords for a plan's accounts: from a secrets file (JSON name -> password, readable by its owner only), or
// the environment (RELAY_TESTER_PASSWORD_<ACCOUNT>). They stay in memory and are never written anywhere.
import { promises as fs } from 'node:fs';

export class SecretsError extends Error {}

export function passwordVariable(account: string): string {
  return `RELAY_TESTER_PASSWORD_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export async function readSecretsFile(file: string): Promise<Map<string, string>> {
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
  const secrets = new Map<string, string>();
  for (const [account, password] of Object.entries(value)) {
    if (typeof password !== 'string') throw new SecretsError(`secrets file ${file}: the entry for "${account}" is not a string`);
    secrets.set(account, password);
  }
  return secrets;
}

export function secretsFromEnvironment(accounts: readonly string[], environment = process.env): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const account of accounts) {
    const value = environment[passwordVariable(account)];
    if (value !== undefined) secrets.set(account, value);
  }
  return secrets;
}
