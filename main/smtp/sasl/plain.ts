// PLAIN (RFC 4616): the whole credential in the initial response, "\0user\0password".
import { CANCEL, describeText, encode, type SaslClient, type SaslCredentials } from './mechanism.js';

export function plainClient({ user, secret }: SaslCredentials): SaslClient {
  return {
    name: 'PLAIN',
    start: () => ({ wire: encode(`\0${user}\0${secret}`), shown: `<credentials for ${user} hidden>`, secret: true }),
    next: () => CANCEL, // a further challenge is not part of the mechanism
    describe: describeText,
  };
}
