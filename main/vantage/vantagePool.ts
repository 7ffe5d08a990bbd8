// The vantage points of one run: a tunnel per vantage point, built from the plan (key and known_hosts files are
// relative to the plan) and the run's secrets, shared by all the cases it serves and closed when the run ends.
// A vantage point that cannot be set up is an error for its own cases only.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { vantageSecretName, type VantagePoint } from '../../shared/vantage.js';
import type { Tunnel } from '../smtp/tunnel.js';
import { SocksTunnel } from './socksTunnel.js';
import { SshTunnel, type HostKeyTrust, type SshCredentials } from './sshTunnel.js';
import { errorMessage } from '../../shared/errorMessage.js';

export type VantageEntry =
  { tunnel: Tunnel & { close(): void }; point: VantagePoint } | { error: string; point: VantagePoint };

/** Whether a private key file needs a passphrase (so the CLI knows to ask for one). */
export function keyNeedsPassphrase(keyText: string): boolean {
  const parsed = ssh2.utils.parseKey(keyText);
  return parsed instanceof Error && /passphrase/i.test(parsed.message);
}

/** Whether a vantage point needs a secret to log in: an encrypted key, or SSH without key or agent. */
export async function vantageNeedsSecret(point: VantagePoint, planDir: string): Promise<boolean> {
  if (!point.ssh) return false;
  if (!point.ssh.identityFile) return !process.env.SSH_AUTH_SOCK;
  try {
    return keyNeedsPassphrase(await readRelative(planDir, point.ssh.identityFile, 'identity file'));
  } catch {
    return false; // the run reports the unreadable file for this vantage point's cases
  }
}

async function readRelative(planDir: string, file: string, what: string): Promise<string> {
  const full = path.resolve(planDir, file);
  try {
    return await fs.readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`cannot read the ${what} ${full} (${code})`, { cause: error });
  }
}

/** Where a face tells the user to give a vantage point's secret: the secrets file's key by default (the CLI). */
export type SecretAdvice = (point: string) => string;

export const SECRETS_FILE_ADVICE: SecretAdvice = (point) => `secret "${vantageSecretName(point)}"`;

async function sshEntry(
  point: VantagePoint,
  planDir: string,
  secret: string | undefined,
  advice: SecretAdvice,
): Promise<VantageEntry> {
  const ssh = point.ssh!;
  const credentials: SshCredentials = {};
  if (process.env.SSH_AUTH_SOCK) credentials.agent = process.env.SSH_AUTH_SOCK;
  if (ssh.identityFile) {
    credentials.privateKey = await readRelative(planDir, ssh.identityFile, 'identity file');
    if (keyNeedsPassphrase(credentials.privateKey)) {
      if (secret === undefined) {
        throw new Error(
          `the key ${ssh.identityFile} of vantage point ${point.name} needs its passphrase (${advice(point.name)})`,
        );
      }
      credentials.passphrase = secret;
    }
    const parsed = ssh2.utils.parseKey(credentials.privateKey, credentials.passphrase);
    if (parsed instanceof Error)
      throw new Error(`the key ${ssh.identityFile} of vantage point ${point.name} cannot be used: ${parsed.message}`);
  } else if (secret !== undefined) {
    credentials.password = secret;
  }
  if (!credentials.privateKey && !credentials.password && !credentials.agent) {
    throw new Error(
      `vantage point ${point.name} has no way to log in: give an identityFile, an SSH agent (SSH_AUTH_SOCK) or a password (${advice(point.name)})`,
    );
  }
  let trust: HostKeyTrust | undefined;
  if (ssh.hostKeySha256) trust = { sha256: ssh.hostKeySha256 };
  else if (ssh.knownHosts)
    trust = { knownHosts: await readRelative(planDir, ssh.knownHosts, 'known_hosts file'), file: ssh.knownHosts };
  return { point, tunnel: new SshTunnel({ host: ssh.host, port: ssh.port, user: ssh.user }, credentials, trust) };
}

export class VantagePool {
  private constructor(private readonly entries: Map<string, VantageEntry>) {}

  static async open(
    points: readonly VantagePoint[],
    planDir: string,
    secrets: ReadonlyMap<string, string>,
    advice: SecretAdvice = SECRETS_FILE_ADVICE,
  ): Promise<VantagePool> {
    const entries = new Map<string, VantageEntry>();
    for (const point of points) {
      const secret = secrets.get(vantageSecretName(point.name));
      try {
        if (point.ssh) entries.set(point.name, await sshEntry(point, planDir, secret, advice));
        else {
          const socks = point.socks5!;
          const credentials = {
            ...(socks.user !== undefined ? { user: socks.user } : {}),
            ...(secret !== undefined ? { password: secret } : {}),
          };
          entries.set(point.name, {
            point,
            tunnel: new SocksTunnel({ host: socks.host, port: socks.port }, credentials),
          });
        }
      } catch (error) {
        entries.set(point.name, { point, error: errorMessage(error) });
      }
    }
    return new VantagePool(entries);
  }

  get(name: string): VantageEntry | undefined {
    return this.entries.get(name);
  }

  close(): void {
    for (const entry of this.entries.values()) if ('tunnel' in entry) entry.tunnel.close();
  }
}
