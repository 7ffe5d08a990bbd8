// The data an SMTP session produces: what the engine records and what every face (CLI, app, report) shows.
import type { Reply } from './reply.js';

export type Stage =
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'helo'
  | 'starttls'
  | 'tls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'message'
  | 'rset'
  | 'quit';

// The tuples are the source of the types: `z.enum(TLS_MODES)` then infers the union with no cast.
export const TLS_MODES = ['auto', 'starttls', 'implicit', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const AUTH_MECHANISMS = ['login', 'plain', 'cram-md5', 'ntlm', 'xoauth2', 'oauthbearer'] as const;
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/** How the server's certificate is checked: against the system CAs (default), a pinned fingerprint, or not at all. */
export type CertificateCheck = { mode: 'verify' } | { mode: 'pin'; sha256: string } | { mode: 'allow-invalid' };

export interface Capabilities {
  /** Whether the server answered EHLO (false after a HELO fallback). */
  esmtp: boolean;
  /** Keywords upper-cased, e.g. { STARTTLS: [], AUTH: ['PLAIN','LOGIN'], SIZE: ['10240000'] }. */
  keywords: Record<string, string[]>;
  authMechanisms: string[];
  startTls: boolean;
}

export interface TlsDetails {
  protocol: string;
  cipher: string;
  /** Whether the certificate chain and host name verified against the system's CAs. */
  verified: boolean;
  verifyError?: string;
  /** How the session decided to trust the certificate. */
  trust: 'verified' | 'pinned' | 'allowed-invalid' | 'refused';
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: string;
  subjectAltName?: string;
}

export type TranscriptEvent =
  | { type: 'connect'; t: number; local: string; localPort: number; remote: string; remotePort: number; tls: boolean }
  | { type: 'client'; t: number; text: string; tls: boolean }
  | { type: 'server'; t: number; text: string; tls: boolean }
  | { type: 'tls'; t: number; details: TlsDetails }
  | { type: 'note'; t: number; level: 'info' | 'warning' | 'error'; text: string }
  | { type: 'step'; t: number; stage: Stage; ms: number; code?: number }
  | { type: 'close'; t: number; reason: string };

/** One command and the reply it drew; `command` is the redacted form shown to people. */
export interface Exchange {
  stage: Stage;
  command?: string;
  reply: Reply;
  /** For RCPT, the recipient this reply is about. */
  recipient?: string;
}

export type FailureKind =
  | 'connect' // TCP connection could not be made
  | 'timeout' // a stage's deadline passed
  | 'closed' // the server hung up before the dialog finished
  | 'protocol' // the server broke the protocol (malformed or over-long replies, pre-TLS injection)
  | 'tls' // STARTTLS refused or not offered when required, handshake failed, certificate refused
  | 'auth-unavailable' // AUTH or the requested mechanism not offered
  | 'unsupported' // the case needs an extension the server does not offer (SMTPUTF8)
  | 'cancelled'; // the caller aborted

export interface SessionFailure {
  kind: FailureKind;
  stage: Stage;
  message: string;
}

export interface SessionResult {
  startedAt: string;
  durationMs: number;
  remote: { host: string; port: number };
  local?: { address: string; port: number };
  exchanges: Exchange[];
  failure?: SessionFailure;
  capabilities?: Capabilities;
  tls?: TlsDetails;
  /** Message-ID of the test message when DATA was sent and accepted: the proof of relaying. */
  messageId?: string;
  events: TranscriptEvent[];
}

/**
 * The EHLO name when the user sets none: a neutral name under .invalid (RFC 2606), not this machine's name, which
 * would land in the server's logs, in transcripts and in reports shared with others.
 */
export const DEFAULT_HELO = 'relay-tester.invalid';
