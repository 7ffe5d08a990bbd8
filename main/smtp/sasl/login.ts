// LOGIN (draft-murchison-sasl-login): the user name and the password, each in answer to its own challenge.
// Servers word the challenges "Username:" and "Password:"; some ask in the other order, so the words decide.
import {
  CANCEL,
  describeText,
  encode,
  utf8,
  type SaslClient,
  type SaslCredentials,
  type SaslLine,
} from './mechanism.js';

export function loginClient({ user, secret }: SaslCredentials): SaslClient {
  const username: SaslLine = { wire: encode(user), shown: `<username: ${user}>` };
  const password: SaslLine = { wire: encode(secret), shown: '<password hidden>', secret: true };
  return {
    name: 'LOGIN',
    start: () => undefined,
    next(challenge, round) {
      const text = utf8(challenge);
      if (/user/i.test(text)) return username;
      if (/pass/i.test(text)) return password;
      return round === 1 ? username : round === 2 ? password : CANCEL;
    },
    describe: describeText,
  };
}
