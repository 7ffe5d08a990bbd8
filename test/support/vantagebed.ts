// The vantage point test bed (test/vantage/vantagebed.sh): namespaces with sshd and a SOCKS5 proxy, and its keys.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VANTAGEBED_SCRIPT = path.join(ROOT, 'test/vantage/vantagebed.sh');
const BED_DIR = '/etc/relay-tester-vantage';

/** Where the servers under test listen: reachable from every namespace, on this machine. */
export const MAIL_ADDRESS = '10.77.0.1';
export const BRANCH = { host: '10.77.1.2', port: 22, user: 'relaytest' };
export const ROGUE = { host: '10.77.9.9', port: 22, user: 'relaytest' };
export const DMZ_SOCKS = { host: '10.77.2.2', port: 1080 };
export const KEY_PASSPHRASE = 'Vantage-Passphrase-1';

export function startVantageBed(): void {
  execFileSync('bash', [VANTAGEBED_SCRIPT, 'start'], { stdio: 'inherit' });
}

export function bedKey(name: 'relaytest_key' | 'wrong_key' | 'passphrase_key'): string {
  return readFileSync(path.join(BED_DIR, name), 'utf8');
}

/** The sshd host key's fingerprint, as ssh-keygen prints it. */
export function bedHostKeySha256(): string {
  const line = execFileSync(
    'ssh-keygen',
    ['-l', '-E', 'sha256', '-f', path.join(BED_DIR, 'ssh_host_ed25519_key.pub')],
    {
      encoding: 'utf8',
    },
  );
  return line.split(/\s+/)[1]!;
}

export function bedHostPublicKey(): string {
  return readFileSync(path.join(BED_DIR, 'ssh_host_ed25519_key.pub'), 'utf8').trim();
}

/** Copies one of the bed's client keys into a plan's folder, readable by its owner only (as ssh wants it). */
export function copyBedKey(
  folder: string,
  name: 'relaytest_key' | 'wrong_key' | 'passphrase_key',
  as: string = name,
): string {
  const file = path.join(folder, as);
  copyFileSync(path.join(BED_DIR, name), file);
  chmodSync(file, 0o600);
  return file;
}

/**
 * A real SMTP server (smtp-server) where the vantage points reach this machine. Its EHLO reply names the client
 * address, so it proves where each session came from; `onRcptTo` decides relaying when given.
 */
export async function startMailServer(
  onRcptTo?: SMTPServerOptions['onRcptTo'],
): Promise<{ server: SMTPServer; port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    name: 'mail.corp.test',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    ...(onRcptTo ? { onRcptTo } : {}),
  });
  // A vantage point killed mid-session resets its connections: smtp-server reports that as a server 'error',
  // which would otherwise be an uncaught exception. The sessions' own transcripts say what happened.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, MAIL_ADDRESS, resolve));
  const port = (server.server.address() as { port: number }).port;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
