// NTLM against the published vectors: MD4 against RFC 1320's test suite, NTLMv2 against MS-NLMP §4.2.4 (user
// "User", domain "Domain", password "Password", server challenge 0123456789abcdef, client challenge aa×8, time 0).
import { describe, expect, it } from 'vitest';
import { md4 } from '../../main/smtp/sasl/md4.js';
import { ntlmClient, splitAccount } from '../../main/smtp/sasl/ntlm.js';
import {
  authenticateMessage,
  describeChallenge,
  negotiateMessage,
  ntHash,
  ntowfV2,
  parseChallenge,
  v2Responses,
} from '../../main/smtp/sasl/ntlmMessages.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('MD4 (RFC 1320 appendix A.5), which OpenSSL 3 no longer offers by default', () => {
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ])('MD4(%j) = %s', (input, digest) => {
    expect(hex(md4(new TextEncoder().encode(input)))).toBe(digest);
  });
});

// MS-NLMP §4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example.
const CHALLENGE = bytes(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000 24002400 44000000
  060070170000000f 530065007200760065007200
  02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000`);
const TARGET_INFO = bytes('02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000');
const SERVER_CHALLENGE = bytes('0123456789abcdef');
const CLIENT_CHALLENGE = bytes('aaaaaaaaaaaaaaaa');

describe('NTLMv2 (MS-NLMP §4.2.4)', () => {
  it('computes the NT hash of §4.2.2.1.2 and NTOWFv2 of §4.2.4.1.1', () => {
    expect(hex(ntHash('Password'))).toBe('a4f49c406510bdcab6824ee7c30fd852');
    expect(hex(ntowfV2('Password', 'User', 'Domain'))).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('computes the LMv2 response, NTProofStr and session base key of §4.2.4.1–2', () => {
    const responses = v2Responses(
      ntowfV2('Password', 'User', 'Domain'),
      SERVER_CHALLENGE,
      CLIENT_CHALLENGE,
      0n,
      TARGET_INFO,
    );
    expect(hex(responses.lm)).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(hex(responses.ntProof)).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(hex(responses.sessionBaseKey)).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    // The NTLMv2 response of §4.2.4.2.2: NTProofStr, then the client blob with the target information.
    expect(hex(responses.nt)).toBe(
      '68cd0ab851e51c96aabc927bebef6a1c' +
        '0101000000000000' +
        '0000000000000000' +
        'aaaaaaaaaaaaaaaa' +
        '00000000' +
        hex(TARGET_INFO) +
        '00000000',
    );
  });

  it('reads the challenge message of §4.2.4.3: target name, flags, target information, version', () => {
    const challenge = parseChallenge(CHALLENGE);
    expect(challenge.targetName).toBe('Server');
    expect(challenge.flags >>> 0).toBe(0xe28a8233);
    expect(hex(challenge.serverChallenge)).toBe('0123456789abcdef');
    expect(hex(challenge.targetInfo)).toBe(hex(TARGET_INFO));
    expect(challenge.timestamp).toBeUndefined();
    const lines = describeChallenge(challenge);
    expect(lines[0]).toBe(
      'NTLM challenge: target "Server", flags 0xe28a8233 (UNICODE OEM SIGN SEAL NTLM ALWAYS_SIGN TARGET_TYPE_SERVER EXTENDED_SESSIONSECURITY TARGET_INFO VERSION 128 KEY_EXCH 56)',
    );
    expect(lines).toContain('NTLM target information: NetBIOS domain "Domain", NetBIOS computer "Server"');
    expect(lines).toContain('NTLM server timestamp: none sent');
  });

  it('lays the authenticate message out as §4.2.4.3 does (domain, user, workstation, LM, NT)', () => {
    const responses = v2Responses(
      ntowfV2('Password', 'User', 'Domain'),
      SERVER_CHALLENGE,
      CLIENT_CHALLENGE,
      0n,
      TARGET_INFO,
    );
    const message = Buffer.from(
      authenticateMessage({
        lm: responses.lm,
        nt: responses.nt,
        domain: 'Domain',
        user: 'User',
        workstation: 'COMPUTER',
        flags: 0xe2888235,
      }),
    );
    expect(message.subarray(0, 12).toString('hex')).toBe('4e544c4d5353500003000000');
    const field = (index: number) => {
      const at = 12 + index * 8;
      return message.subarray(message.readUInt32LE(at + 4), message.readUInt32LE(at + 4) + message.readUInt16LE(at));
    };
    expect(field(0).toString('hex')).toBe(hex(responses.lm));
    expect(field(1).toString('hex')).toBe(hex(responses.nt));
    expect(field(2).toString('utf16le')).toBe('Domain');
    expect(field(3).toString('utf16le')).toBe('User');
    expect(field(4).toString('utf16le')).toBe('COMPUTER');
    expect(field(5).length).toBe(0);
    expect(message.readUInt32LE(60)).toBe(0xe2888235);
    // Payload right after the 64-byte header, domain first, as in the published message.
    expect(message.readUInt32LE(28 + 4)).toBe(64);
  });

  it('sends a negotiate message asking for Unicode, NTLM and the target name, with no domain or workstation', () => {
    expect(hex(negotiateMessage())).toBe(
      '4e544c4d53535000' + '01000000' + '078208a0' + '0000000020000000' + '0000000020000000',
    );
  });
});

describe('the NTLM SASL client', () => {
  // The example's time is FILETIME 0, 1601-01-01.
  const fixed = { clientChallenge: () => CLIENT_CHALLENGE, now: () => Date.UTC(1601, 0, 1) };

  it('answers the §4.2.4 challenge with the published NTLMv2 response and hides it in the transcript', () => {
    const client = ntlmClient({ user: 'Domain\\User', secret: 'Password', host: 'mx', port: 25 }, fixed);
    expect(client.name).toBe('NTLM');
    const answer = client.next(CHALLENGE, 1);
    expect(answer.secret).toBe(true);
    expect(answer.shown).toBe(
      '<NTLMv2 authenticate message for User, domain Domain, workstation RELAY-TESTER: response hidden>',
    );
    expect(answer.shown).not.toMatch(/68cd|aGjN/);
    const message = Buffer.from(answer.wire, 'base64');
    expect(message.toString('hex')).toContain('68cd0ab851e51c96aabc927bebef6a1c');
    expect(message.toString('hex')).toContain('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  });

  it('takes the domain from the server challenge when the account names none, and sends a UPN whole', () => {
    const plain = ntlmClient({ user: 'User', secret: 'Password', host: 'mx', port: 25 }, fixed).next(CHALLENGE, 1);
    expect(plain.shown).toContain('for User, domain Server,');
    const upn = ntlmClient({ user: 'user@corp.test', secret: 'Password', host: 'mx', port: 25 }, fixed).next(
      CHALLENGE,
      1,
    );
    expect(upn.shown).toContain('for user@corp.test, workstation');
    expect(splitAccount('CORP\\alice')).toEqual({ user: 'alice', domain: 'CORP' });
  });

  it('refuses a truncated challenge or one whose fields point past its end, without reading out of bounds', () => {
    expect(() => parseChallenge(CHALLENGE.subarray(0, 20))).toThrow('did not send an NTLM challenge');
    const pastEnd = Buffer.from(CHALLENGE);
    pastEnd.writeUInt32LE(0xfff0, 16); // target name offset
    expect(() => parseChallenge(pastEnd)).toThrow("the NTLM challenge's target name points past its end");
    const badPairs = Buffer.from(CHALLENGE);
    badPairs.writeUInt16LE(0x0400, 0x44 + 2); // the first AV pair claims 1 KiB
    expect(() => parseChallenge(badPairs)).toThrow('an NTLM target information entry runs past its end');
  });

  it('cancels a challenge that is not an NTLM type 2 message and says why', () => {
    const client = ntlmClient({ user: 'u', secret: 'p', host: 'mx', port: 25 });
    const junk = new TextEncoder().encode('NTLM supported');
    expect(client.next(junk, 1).wire).toBe('*');
    expect(client.describe(junk)).toEqual(['the server did not send an NTLM challenge (type 2) message; cancelling']);
  });
});
