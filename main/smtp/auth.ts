// SASL payloads for AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login) and CRAM-MD5
// (RFC 2195). Each returns what goes on the wire and what the transcript may show, built side by side so the
// shown form never contains the secret.
import { createHmac } from 'node:crypto';
import type { AuthMechanism, Capabilities } from '../../shared/session.js';

export interface AuthLine {
  wire: string;
  shown: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Decodes a 334 challenge; undefined when it is not valid base64 (docs/reliability.md §16: answer with "*"). */
export function decodeChallenge(text: string): string | undefined {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) return undefined;
  return Buffer.from(trimmed, 'base64').toString('utf8');
}

export function plainInitial(user: string, password: string): AuthLine {
  return {
    wire: `AUTH PLAIN ${encode(`\0${user}\0${password}`)}`,
    shown: `AUTH PLAIN <credentials for ${user} hidden>`,
  };
}

export function loginUsername(user: string): AuthLine {
  return { wire: encode(user), shown: `<username: ${user}>` };
}

export function loginPassword(password: string): AuthLine {
  return { wire: encode(password), shown: '<password hidden>' };
}

export function cramResponse(user: string, password: string, challenge: string): AuthLine {
  const digest = createHmac('md5', password).update(challenge, 'utf8').digest('hex');
  return { wire: encode(`${user} ${digest}`), shown: `<CRAM-MD5 response for ${user} hidden>` };
}

export const CANCEL: AuthLine = { wire: '*', shown: '*' };

/**
 * The mechanism to use: the caller's choice, or the best one offered. Without TLS, CRAM-MD5 is preferred because
 * it does not put the password itself on the wire.
 */
export function chooseMechanism(
  capabilities: Capabilities,
  requested: AuthMechanism | undefined,
  encrypted: boolean,
): { mechanism: AuthMechanism } | { unavailable: string } {
  const offered = capabilities.authMechanisms;
  const offeredText = offered.length ? offered.join(' ') : 'none';
  if (requested) {
    return offered.includes(requested.toUpperCase())
      ? { mechanism: requested }
      : { unavailable: `the server does not offer AUTH ${requested.toUpperCase()} (offered: ${offeredText})` };
  }
  const preference: AuthMechanism[] = encrypted ? ['plain', 'login', 'cram-md5'] : ['cram-md5', 'plain', 'login'];
  const mechanism = preference.find((candidate) => offered.includes(candidate.toUpperCase()));
  return mechanism
    ? { mechanism }
    : { unavailable: `the server offers no supported AUTH mechanism (offered: ${offeredText})` };
}
