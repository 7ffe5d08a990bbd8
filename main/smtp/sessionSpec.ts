// What one SMTP session should do. The password lives only here, in memory, never in shared types or files.
import type { AuthMechanism, CertificateCheck, TlsMode } from '../../shared/session.js';
import type { NtlmSettings } from './sasl/mechanism.js';
import { hasLineBreakOrNul } from '../../shared/text.js';
import type { Tunnel } from './tunnel.js';

export interface Timeouts {
  connectMs: number;
  greetingMs: number;
  replyMs: number;
}

export type Step =
  | { kind: 'ehlo' }
  | { kind: 'starttls' }
  | { kind: 'auth' }
  | { kind: 'mail'; from: string }
  | { kind: 'rcpt'; to: string }
  | { kind: 'data' }
  | { kind: 'rset' }
  | { kind: 'quit' };

export interface SessionSpec {
  host: string;
  port: number;
  /** Local address to bind, so the server sees this client address. */
  source?: string;
  /** Open the connection from a vantage point (SSH, SOCKS5) instead of from this machine. */
  via?: Tunnel;
  tls: TlsMode;
  certificate: CertificateCheck;
  /** TLS server name (SNI and certificate host check); defaults to `host` when it is a name. */
  servername?: string;
  helo: string;
  /** `password` is the secret: a password, or an OAuth access token for XOAUTH2 and OAUTHBEARER. */
  auth?: { user: string; password: string; mechanism?: AuthMechanism; ntlm?: NtlmSettings };
  timeouts: Timeouts;
  /** The dialog after the greeting; `defaultSteps` builds the usual relay test. */
  steps: Step[];
}

/**
 * The relay test dialog: EHLO, STARTTLS (as the TLS mode says), AUTH when credentials are given, MAIL, each RCPT,
 * then DATA only when asked for (so nothing is delivered by accident) or RSET, then QUIT.
 */
export function defaultSteps(options: {
  from?: string;
  to: string[];
  auth: boolean;
  tls: TlsMode;
  data?: boolean;
}): Step[] {
  const steps: Step[] = [{ kind: 'ehlo' }];
  if (options.tls === 'auto' || options.tls === 'starttls') steps.push({ kind: 'starttls' });
  if (options.auth) steps.push({ kind: 'auth' });
  if (options.from !== undefined) {
    steps.push({ kind: 'mail', from: options.from });
    for (const to of options.to) steps.push({ kind: 'rcpt', to });
    steps.push(options.data ? { kind: 'data' } : { kind: 'rset' });
  }
  steps.push({ kind: 'quit' });
  return steps;
}

export class InputError extends Error {}

/**
 * Refuses arguments that would smuggle extra commands onto the wire (docs/reliability.md §17), before a byte is sent.
 */
export function checkSpec(spec: SessionSpec): void {
  const fields: [string, string | undefined][] = [
    ['host', spec.host],
    ['source address', spec.source],
    ['HELO name', spec.helo],
    ['user name', spec.auth?.user],
    ['password', spec.auth?.password],
    ['NTLM domain', spec.auth?.ntlm?.domain],
    ['NTLM workstation', spec.auth?.ntlm?.workstation],
  ];
  for (const step of spec.steps) {
    if (step.kind === 'mail') fields.push(['sender address', step.from]);
    if (step.kind === 'rcpt') fields.push(['recipient address', step.to]);
  }
  for (const [name, value] of fields) {
    if (value !== undefined && hasLineBreakOrNul(value)) {
      throw new InputError(`the ${name} contains CR, LF or NUL, which could inject SMTP commands; nothing was sent`);
    }
  }
  for (const step of spec.steps) {
    const address = step.kind === 'mail' ? step.from : step.kind === 'rcpt' ? step.to : undefined;
    if (address !== undefined && /[<>\s]/.test(address)) {
      throw new InputError(`the address "${address}" must not contain spaces or angle brackets`);
    }
  }
  if (spec.helo.trim() === '' || /\s/.test(spec.helo)) {
    throw new InputError('the HELO name must be one word, such as a host name');
  }
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
    throw new InputError(`the port ${spec.port} is not between 1 and 65535`);
  }
}
