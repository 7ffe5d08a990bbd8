// NTLM over SMTP AUTH (MS-SMTPNTLM): AUTH NTLM with the Negotiate message as initial response, the server's
// Challenge in a 334, the Authenticate message in answer. Only NTLMv2 responses are sent: NTLMv1 (DES over the
// bare NT hash) is broken and is not spoken at all. The transcript shows the decoded challenge; the response,
// and everything derived from the password, is hidden.
import { randomBytes } from 'node:crypto';
import { CANCEL, encode, type SaslClient, type SaslCredentials } from './mechanism.js';
import {
  NEGOTIATE_FLAGS,
  NtlmFormatError,
  authenticateMessage,
  describeChallenge,
  isoToFileTime,
  negotiateMessage,
  ntowfV2,
  parseChallenge,
  v2Responses,
} from './ntlmMessages.js';

export const DEFAULT_WORKSTATION = 'RELAY-TESTER';

/** "CORP\alice" names the domain; "alice@corp.test" (a UPN) is sent whole with an empty domain, as Windows does. */
export function splitAccount(account: string): { user: string; domain?: string } {
  const slash = account.indexOf('\\');
  if (slash > 0) return { user: account.slice(slash + 1), domain: account.slice(0, slash) };
  if (account.includes('@')) return { user: account, domain: '' };
  return { user: account };
}

export interface NtlmRandom {
  clientChallenge(): Uint8Array;
  now(): number;
}

const SYSTEM_RANDOM: NtlmRandom = { clientChallenge: () => new Uint8Array(randomBytes(8)), now: () => Date.now() };

export function ntlmClient(credentials: SaslCredentials, random: NtlmRandom = SYSTEM_RANDOM): SaslClient {
  const account = splitAccount(credentials.user);
  const workstation = credentials.ntlm?.workstation ?? DEFAULT_WORKSTATION;
  return {
    name: 'NTLM',
    start: () => {
      const negotiate = encode(negotiateMessage());
      return { wire: negotiate, shown: negotiate }; // nothing secret in it: the transcript shows the real bytes
    },
    next(bytes, round) {
      if (round !== 1) return CANCEL;
      let challenge;
      try {
        challenge = parseChallenge(bytes);
      } catch (error) {
        if (error instanceof NtlmFormatError) return CANCEL;
        throw error;
      }
      // The domain: the account's ("CORP\alice"), the plan's, or else the one the server named in its challenge.
      const domain = account.domain ?? credentials.ntlm?.domain ?? challenge.targetName;
      const key = ntowfV2(credentials.secret, account.user, domain);
      // With a server timestamp, MS-NLMP §3.1.5.1.2 uses it and sends a zero LM response.
      const time = challenge.timestamp ?? isoToFileTime(random.now());
      const responses = v2Responses(
        key,
        challenge.serverChallenge,
        random.clientChallenge(),
        time,
        challenge.targetInfo,
      );
      const message = authenticateMessage({
        lm: challenge.timestamp === undefined ? responses.lm : new Uint8Array(24),
        nt: responses.nt,
        domain,
        user: account.user,
        workstation,
        flags: (challenge.flags & NEGOTIATE_FLAGS) | 0x1,
      });
      const where = domain ? `, domain ${domain}` : '';
      return {
        wire: encode(message),
        shown: `<NTLMv2 authenticate message for ${account.user}${where}, workstation ${workstation}: response hidden>`,
        secret: true,
      };
    },
    describe(bytes) {
      try {
        return describeChallenge(parseChallenge(bytes));
      } catch (error) {
        if (error instanceof NtlmFormatError) return [`${error.message}; cancelling`];
        throw error;
      }
    },
  };
}
