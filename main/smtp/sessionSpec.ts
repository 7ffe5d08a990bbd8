// What one SMTP session should do, and the one place a session is assembled from what a face was given (probe's
// flags, a plan's case, a vantage check). The password lives only here, in memory, never in shared types or files.
import { DEFAULT_HELO, type AuthMechanism, type CertificateCheck, type TlsMode } from '../../shared/session.js';
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

/** The credentials of a session. `password` is the secret: a password, or an OAuth access token. */
export interface SessionAuth {
  user: string;
  password: string;
  mechanism?: AuthMechanism;
  ntlm?: NtlmSettings;
}

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
  auth?: SessionAuth;
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

/** What a face knows about the session it wants; `buildSessionSpec` turns it into a SessionSpec. */
export interface SessionRequest {
  host: string;
  port: number;
  tls: TlsMode;
  /** A pinned SHA-256 fingerprint wins over allowing an invalid certificate; neither means verify. */
  certificate?: { pinSha256?: string; allowInvalid?: boolean };
  /** Defaults to this machine's host name. */
  helo?: string;
  auth?: SessionAuth;
  /** One deadline for connect, greeting and each reply. */
  timeoutMs: number;
  /** The envelope sender; without it the session stops after EHLO (and STARTTLS, AUTH): a banner check. */
  from?: string;
  to?: string[];
  data?: boolean;
  source?: string;
  via?: Tunnel;
}

export function certificateCheck(certificate: SessionRequest['certificate'] = {}): CertificateCheck {
  if (certificate.pinSha256) return { mode: 'pin', sha256: certificate.pinSha256 };
  if (certificate.allowInvalid) return { mode: 'allow-invalid' };
  return { mode: 'verify' };
}

/** The one builder of a SessionSpec: probe, the runner (and so the benchmark) and the vantage check all use it. */
export function buildSessionSpec(request: SessionRequest): SessionSpec {
  const spec: SessionSpec = {
    host: request.host,
    port: request.port,
    tls: request.tls,
    certificate: certificateCheck(request.certificate),
    helo: request.helo ?? DEFAULT_HELO,
    timeouts: { connectMs: request.timeoutMs, greetingMs: request.timeoutMs, replyMs: request.timeoutMs },
    steps: defaultSteps({
      from: request.from,
      to: request.to ?? [],
      auth: request.auth !== undefined,
      tls: request.tls,
      data: request.data ?? false,
    }),
  };
  if (request.auth) spec.auth = request.auth;
  // A vantage point connects from its own address: a local source would mean nothing there.
  if (request.via) spec.via = request.via;
  else if (request.source) spec.source = request.source;
  return spec;
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
