// "Copy as command": the quick probe as a `relay-tester probe` line and as the nearest `swaks` line, for a ticket, a
// colleague's terminal or a server without the app. Never a password: relay-tester reads it from an environment
// variable (--password-env), swaks prompts for it (--auth-user without --auth-password).
import type { ProbeSettings } from './probe.js';
import type { AuthMechanism, TlsMode } from './session.js';
import type { VantagePoint } from './vantage.js';

/** A command line, and what it cannot say the way the app's probe does (shown beside it). */
export interface CommandLine {
  command: string;
  notes: string[];
}

/** POSIX shell quoting: plain words stay as they are, anything else goes in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function line(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** The environment variable `relay-tester probe --password-env` reads an account's password from. */
export function passwordVariable(account: string): string {
  return `RELAY_TESTER_PASSWORD_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The `relay-tester probe` line of a probe; `vantage` is the plan's vantage point when it connects from one. */
export function relayTesterCommand(settings: ProbeSettings, vantage?: VantagePoint): CommandLine {
  const words = ['relay-tester', 'probe', '--host', settings.host, '--port', String(settings.port)];
  words.push('--tls', settings.tls);
  const notes: string[] = [];
  if (settings.certificate.mode === 'pin') words.push('--pin-sha256', settings.certificate.sha256);
  if (settings.certificate.mode === 'allow-invalid') words.push('--allow-invalid-cert');
  if (vantage?.ssh) {
    const { user, host, port, identityFile, hostKeySha256, knownHosts } = vantage.ssh;
    words.push('--via', `ssh://${encodeURIComponent(user)}@${bracketed(host)}:${port}`);
    if (identityFile) words.push('--identity', identityFile);
    if (hostKeySha256) words.push('--host-key', hostKeySha256);
    if (knownHosts) words.push('--known-hosts', knownHosts);
    notes.push(`Run it in the plan's folder: the vantage point's files are relative to the plan.`);
  } else if (vantage?.socks5) {
    const { user, host, port } = vantage.socks5;
    words.push('--via', `socks5://${user ? `${encodeURIComponent(user)}@` : ''}${bracketed(host)}:${port}`);
  } else if (settings.source) {
    words.push('--source', settings.source);
  }
  if (settings.account) {
    const variable = passwordVariable(settings.account);
    words.push('--user', settings.account, '--password-env', variable);
    if (settings.mechanism) words.push('--auth', settings.mechanism);
    notes.push(`Set ${variable} to ${settings.account}'s password first; it is never part of the command.`);
  }
  words.push('--helo', settings.helo, '--from', settings.from);
  for (const to of settings.to) words.push('--to', to);
  return { command: line(words), notes };
}

const SWAKS_TLS: Record<TlsMode, string[]> = {
  none: [],
  // Our "auto": STARTTLS when offered, and a failed negotiation is an error, not a silent fallback to clear text.
  auto: ['--tls-optional-strict'],
  starttls: ['--tls'],
  implicit: ['--tls-on-connect'],
};

/** swaks's names of the mechanisms it has (swaks(1), --auth); OAUTHBEARER it lacks. */
const SWAKS_AUTH: Partial<Record<AuthMechanism, string>> = {
  login: 'LOGIN',
  plain: 'PLAIN',
  'cram-md5': 'CRAM-MD5',
  ntlm: 'NTLM',
  xoauth2: 'XOAUTH2',
};

/** The nearest `swaks` line: the same envelope, stopping after RCPT as the probe does (nothing is delivered). */
export function swaksCommand(settings: ProbeSettings, vantage?: VantagePoint): CommandLine {
  const words = ['swaks', '--server', settings.host, '--port', String(settings.port), ...SWAKS_TLS[settings.tls]];
  const notes: string[] = [];
  if (settings.tls !== 'none') {
    if (settings.certificate.mode === 'verify') words.push('--tls-verify');
    if (settings.certificate.mode === 'pin')
      notes.push('swaks cannot pin a certificate: it connects without checking the certificate.');
  }
  if (vantage) notes.push(`swaks cannot connect through vantage point ${vantage.name}: run it on that machine.`);
  else if (settings.source) words.push('--local-interface', settings.source);
  words.push('--ehlo', settings.helo, '--from', settings.from === '' ? '<>' : settings.from);
  words.push('--to', settings.to.join(','));
  if (settings.account) {
    const mechanism = settings.mechanism ? SWAKS_AUTH[settings.mechanism] : undefined;
    if (settings.mechanism && !mechanism) notes.push(`swaks has no ${settings.mechanism.toUpperCase()}: it picks one.`);
    // --auth-password left out: swaks prompts (not echoed) and shows no readable password in its own transcript.
    words.push('--auth', ...(mechanism ? [mechanism] : []), '--auth-user', settings.account);
    words.push('--protect-prompt', '--auth-hide-password');
    notes.push('swaks asks for the password when it connects.');
  }
  words.push('--quit-after', 'RCPT');
  return { command: line(words), notes };
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
