// The SASL client interface (RFC 4422), shaped like Go's net/smtp Auth: `start` gives the optional initial
// response, `next` answers each server challenge. Every payload is built twice, side by side: what goes on the
// wire and what the transcript may show, so the shown form never contains a secret.

export interface SaslLine {
  /** What is sent: base64 of the payload, "" for an empty response, or "*" to cancel. */
  wire: string;
  /** What the transcript shows instead. */
  shown: string;
  /** The wire form carries a secret or something derived from it: the transcript scrubber learns it too. */
  secret?: boolean;
}

export interface SaslClient {
  /** The name after AUTH, e.g. "NTLM". */
  readonly name: string;
  /** The initial response sent on the AUTH line (RFC 4954 §4), or undefined to wait for the first challenge. */
  start(): SaslLine | undefined;
  /** The answer to challenge number `round` (1-based), already base64-decoded. */
  next(challenge: Uint8Array, round: number): SaslLine;
  /** What the transcript may say about a challenge: decoded text or fields, never anything secret. */
  describe(challenge: Uint8Array): string[];
}

/** Who authenticates, with which secret (a password, or an OAuth access token), and where. */
export interface SaslCredentials {
  user: string;
  secret: string;
  /** The server as the client addressed it (OAUTHBEARER carries it, RFC 7628 §3.1). */
  host: string;
  port: number;
  ntlm?: NtlmSettings;
}

export interface NtlmSettings {
  /** The Windows domain; taken from "CORP\alice" or the server's challenge when not given. */
  domain?: string;
  /** The workstation name the server logs; "RELAY-TESTER" when not given. */
  workstation?: string;
}

/** RFC 4954 §4: "*" cancels the exchange; the server answers 501. */
export const CANCEL: SaslLine = { wire: '*', shown: '*' };

export function encode(payload: string | Uint8Array): string {
  return Buffer.from(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload).toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a 334 challenge; undefined when it is not valid base64 (docs/reliability.md §16: answer with "*"). */
export function decodeChallenge(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) return undefined;
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** The transcript note for a text challenge, as LOGIN and CRAM-MD5 servers send them. */
export function describeText(challenge: Uint8Array): string[] {
  const text = utf8(challenge);
  return text === '' ? [] : [`challenge decodes to "${text}"`];
}
