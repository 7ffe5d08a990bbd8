// CRAM-MD5 (RFC 2195): "user HMAC-MD5(password, challenge)" in answer to the one challenge.
import { createHmac } from 'node:crypto';
import { CANCEL, describeText, encode, type SaslClient, type SaslCredentials } from './mechanism.js';

export function cramMd5Client({ user, secret }: SaslCredentials): SaslClient {
  return {
    name: 'CRAM-MD5',
    start: () => undefined,
    next(challenge, round) {
      if (round !== 1) return CANCEL;
      const digest = createHmac('md5', secret).update(challenge).digest('hex');
      return { wire: encode(`${user} ${digest}`), shown: `<CRAM-MD5 response for ${user} hidden>`, secret: true };
    },
    describe: describeText,
  };
}
