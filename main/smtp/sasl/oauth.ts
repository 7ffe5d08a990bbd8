// XOAUTH2 (Google's and Microsoft's SASL profile) and OAUTHBEARER (RFC 7628): an OAuth 2.0 access token in the
// initial response. The token is a secret like a password. A refused token draws a 334 whose payload is a base64
// JSON error (RFC 7628 §3.2.2); the client must answer it so the server can finish with 535: OAUTHBEARER with a
// single %x01 (§3.2.3), XOAUTH2 with an empty line (Google's documentation).
import { CANCEL, encode, utf8, type SaslClient, type SaslCredentials, type SaslLine } from './mechanism.js';

/** The server's JSON error challenge, for the transcript: status, scope and the discovery URL (RFC 7628 §3.2.2). */
export function describeOAuthError(challenge: Uint8Array): string[] {
  const text = utf8(challenge);
  if (text === '') return [];
  try {
    const error = JSON.parse(text) as Record<string, unknown>;
    const fields = ['status', 'scope', 'schemes', 'openid-configuration']
      .filter((key) => typeof error[key] === 'string')
      .map((key) => `${key} ${JSON.stringify(error[key])}`);
    return [`the server refused the token: ${fields.length ? fields.join(', ') : text}`];
  } catch {
    return [`challenge decodes to "${text}" (not the JSON error RFC 7628 §3.2.2 describes)`];
  }
}

function oauthClient(name: string, payload: string, user: string, acknowledge: SaslLine): SaslClient {
  return {
    name,
    start: () => ({ wire: encode(payload), shown: `<${name} access token for ${user} hidden>`, secret: true }),
    next: (_challenge, round) => (round === 1 ? acknowledge : CANCEL),
    describe: describeOAuthError,
  };
}

export function xoauth2Client({ user, secret }: SaslCredentials): SaslClient {
  return oauthClient('XOAUTH2', `user=${user}\x01auth=Bearer ${secret}\x01\x01`, user, {
    wire: '',
    shown: '<empty response: the error is acknowledged>',
  });
}

export function oauthBearerClient({ user, secret, host, port }: SaslCredentials): SaslClient {
  // gs2-header "n,a=user," then key=value pairs separated by %x01 (RFC 7628 §3.1); "," and "=" in the
  // authzid are escaped as RFC 5801 §4 says.
  const authzid = user.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const payload = `n,a=${authzid},\x01host=${host}\x01port=${port}\x01auth=Bearer ${secret}\x01\x01`;
  return oauthClient('OAUTHBEARER', payload, user, {
    wire: encode('\x01'),
    shown: '<%x01: the error is acknowledged>',
  });
}
