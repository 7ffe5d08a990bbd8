// The mechanisms the engine speaks and the automatic choice among those a server offers.
import type { AuthMechanism, Capabilities } from '../../../shared/session.js';
import { cramMd5Client } from './cramMd5.js';
import { loginClient } from './login.js';
import type { SaslClient, SaslCredentials } from './mechanism.js';
import { ntlmClient } from './ntlm.js';
import { oauthBearerClient, xoauth2Client } from './oauth.js';
import { plainClient } from './plain.js';

const CLIENTS: Record<AuthMechanism, (credentials: SaslCredentials) => SaslClient> = {
  plain: plainClient,
  login: loginClient,
  'cram-md5': cramMd5Client,
  ntlm: (credentials) => ntlmClient(credentials),
  xoauth2: xoauth2Client,
  oauthbearer: oauthBearerClient,
};

export function saslClient(mechanism: AuthMechanism, credentials: SaslCredentials): SaslClient {
  return CLIENTS[mechanism](credentials);
}

/**
 * The mechanism to use: the caller's choice, or the best password mechanism offered. Without TLS, the ones that
 * keep the password itself off the wire come first (CRAM-MD5, then NTLM, as Exchange offers it). XOAUTH2 and
 * OAUTHBEARER take a token, not a password, so they are only used when asked for.
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
  const preference: AuthMechanism[] = encrypted
    ? ['plain', 'login', 'cram-md5', 'ntlm']
    : ['cram-md5', 'ntlm', 'plain', 'login'];
  const mechanism = preference.find((candidate) => offered.includes(candidate.toUpperCase()));
  return mechanism
    ? { mechanism }
    : { unavailable: `the server offers no supported AUTH mechanism (offered: ${offeredText})` };
}
