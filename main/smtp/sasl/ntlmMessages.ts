// NTLM messages and NTLMv2 responses (MS-NLMP §2.2.1, §2.2.2, §3.3.2), pure functions over bytes so the unit
// tests can hold them to the published vectors of §4.2.4. Only what a client needs: Negotiate (type 1), reading
// the Challenge (type 2), Authenticate (type 3) without signing, sealing or key exchange (SMTP uses none).
import { createHmac } from 'node:crypto';
import { md4 } from './md4.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** NEGOTIATE flags (MS-NLMP §2.2.2.5), by the names the spec gives them. */
export const NTLM_FLAGS: readonly [number, string][] = [
  [0x00000001, 'UNICODE'],
  [0x00000002, 'OEM'],
  [0x00000004, 'REQUEST_TARGET'],
  [0x00000010, 'SIGN'],
  [0x00000020, 'SEAL'],
  [0x00000040, 'DATAGRAM'],
  [0x00000080, 'LM_KEY'],
  [0x00000200, 'NTLM'],
  [0x00000800, 'ANONYMOUS'],
  [0x00001000, 'OEM_DOMAIN_SUPPLIED'],
  [0x00002000, 'OEM_WORKSTATION_SUPPLIED'],
  [0x00008000, 'ALWAYS_SIGN'],
  [0x00010000, 'TARGET_TYPE_DOMAIN'],
  [0x00020000, 'TARGET_TYPE_SERVER'],
  [0x00080000, 'EXTENDED_SESSIONSECURITY'],
  [0x00100000, 'IDENTIFY'],
  [0x00400000, 'NON_NT_SESSION_KEY'],
  [0x00800000, 'TARGET_INFO'],
  [0x02000000, 'VERSION'],
  [0x20000000, '128'],
  [0x40000000, 'KEY_EXCH'],
  [0x80000000, '56'],
];

/** What the client asks for: Unicode, the server's target name, NTLM, extended session security. */
export const NEGOTIATE_FLAGS =
  0x00000001 | 0x00000002 | 0x00000004 | 0x00000200 | 0x00008000 | 0x00080000 | 0x20000000 | 0x80000000;

export function flagNames(flags: number): string[] {
  return NTLM_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

export class NtlmFormatError extends Error {}

export function negotiateMessage(flags = NEGOTIATE_FLAGS): Uint8Array {
  const message = Buffer.alloc(32);
  SIGNATURE.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(flags >>> 0, 12);
  // Empty domain and workstation fields (offset 32): a client may leave them out (§2.2.1.1).
  message.writeUInt32LE(32, 20);
  message.writeUInt32LE(32, 28);
  return new Uint8Array(message);
}

export interface AvPair {
  id: number;
  value: Uint8Array;
}

export interface ChallengeMessage {
  flags: number;
  targetName: string;
  serverChallenge: Uint8Array;
  /** The raw AV_PAIR list, echoed inside the NTLMv2 response. */
  targetInfo: Uint8Array;
  pairs: AvPair[];
  /** MsvAvTimestamp as a FILETIME (100 ns since 1601), when the server sent one. */
  timestamp?: bigint;
  version?: string;
}

function field(message: Buffer, at: number, what: string): Buffer {
  if (at + 8 > message.length) throw new NtlmFormatError(`the NTLM challenge is too short for its ${what} field`);
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (offset + length > message.length) throw new NtlmFormatError(`the NTLM challenge's ${what} points past its end`);
  return message.subarray(offset, offset + length);
}

function parsePairs(info: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  for (let at = 0; at + 4 <= info.length;) {
    const id = info.readUInt16LE(at);
    const length = info.readUInt16LE(at + 2);
    if (id === 0) return pairs; // MsvAvEOL
    if (at + 4 + length > info.length) throw new NtlmFormatError('an NTLM target information entry runs past its end');
    pairs.push({ id, value: new Uint8Array(info.subarray(at + 4, at + 4 + length)) });
    at += 4 + length;
  }
  return pairs;
}

export function parseChallenge(bytes: Uint8Array): ChallengeMessage {
  const message = Buffer.from(bytes);
  if (message.length < 32 || !message.subarray(0, 8).equals(SIGNATURE) || message.readUInt32LE(8) !== 2) {
    throw new NtlmFormatError('the server did not send an NTLM challenge (type 2) message');
  }
  const flags = message.readUInt32LE(20);
  const name = field(message, 12, 'target name');
  const unicode = (flags & 0x1) !== 0;
  const challenge: ChallengeMessage = {
    flags,
    targetName: unicode ? name.toString('utf16le') : name.toString('latin1'),
    serverChallenge: new Uint8Array(message.subarray(24, 32)),
    targetInfo: new Uint8Array(0),
    pairs: [],
  };
  if (flags & 0x00800000 && message.length >= 48) {
    const info = field(message, 40, 'target information');
    challenge.targetInfo = new Uint8Array(info);
    challenge.pairs = parsePairs(info);
    const stamp = challenge.pairs.find((pair) => pair.id === 7 && pair.value.length === 8);
    if (stamp) challenge.timestamp = Buffer.from(stamp.value).readBigUInt64LE(0);
  }
  if (flags & 0x02000000 && message.length >= 56) {
    challenge.version = `${message[48]}.${message[49]}.${message.readUInt16LE(50)}`;
  }
  return challenge;
}

const PAIR_NAMES: Record<number, string> = {
  1: 'NetBIOS computer',
  2: 'NetBIOS domain',
  3: 'DNS computer',
  4: 'DNS domain',
  5: 'DNS forest',
};

/** FILETIME (100 ns ticks since 1601-01-01) to an ISO date. */
export function fileTimeToIso(ticks: bigint): string {
  const ms = Number(ticks / 10_000n) - 11_644_473_600_000;
  return new Date(ms).toISOString();
}

export function isoToFileTime(ms: number): bigint {
  return (BigInt(ms) + 11_644_473_600_000n) * 10_000n;
}

/** The challenge's fields for the transcript: none of them is secret, and none depends on the password. */
export function describeChallenge(challenge: ChallengeMessage): string[] {
  const lines = [
    `NTLM challenge: target "${challenge.targetName}", flags 0x${(challenge.flags >>> 0).toString(16).padStart(8, '0')} (${flagNames(challenge.flags).join(' ')})`,
  ];
  const names = challenge.pairs
    .filter((pair) => PAIR_NAMES[pair.id])
    .map((pair) => `${PAIR_NAMES[pair.id]} "${Buffer.from(pair.value).toString('utf16le')}"`);
  if (names.length) lines.push(`NTLM target information: ${names.join(', ')}`);
  lines.push(
    challenge.timestamp === undefined
      ? 'NTLM server timestamp: none sent'
      : `NTLM server timestamp: ${fileTimeToIso(challenge.timestamp)}`,
  );
  if (challenge.version) lines.push(`NTLM server version: Windows ${challenge.version}`);
  return lines;
}

function utf16(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const hmac = createHmac('md5', key);
  for (const part of data) hmac.update(part);
  return hmac.digest();
}

/** NTOWFv1: MD4 of the UTF-16LE password (§3.3.1). */
export function ntHash(password: string): Uint8Array {
  return md4(utf16(password));
}

/** NTOWFv2 (§3.3.2): HMAC-MD5 keyed by the NT hash over UPPER(user) + domain, in UTF-16LE. */
export function ntowfV2(password: string, user: string, domain: string): Uint8Array {
  return hmacMd5(ntHash(password), utf16(user.toUpperCase() + domain));
}

export interface V2Responses {
  lm: Uint8Array;
  nt: Uint8Array;
  ntProof: Uint8Array;
  sessionBaseKey: Uint8Array;
}

/** The NTLMv2 and LMv2 responses (§3.3.2), given the client's nonce and time so tests can fix them. */
export function v2Responses(
  key: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
  time: bigint,
  targetInfo: Uint8Array,
): V2Responses {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64LE(time);
  // temp = Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4)
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    stamp,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProof = hmacMd5(key, serverChallenge, temp);
  return {
    lm: Buffer.concat([hmacMd5(key, serverChallenge, clientChallenge), clientChallenge]),
    nt: Buffer.concat([ntProof, temp]),
    ntProof,
    sessionBaseKey: hmacMd5(key, ntProof),
  };
}

export interface AuthenticateFields {
  lm: Uint8Array;
  nt: Uint8Array;
  domain: string;
  user: string;
  workstation: string;
  flags: number;
}

/** The Authenticate (type 3) message: a 64-byte header of security buffers, then the payload (§2.2.1.3). */
export function authenticateMessage(fields: AuthenticateFields): Uint8Array {
  const payloads = [
    fields.lm,
    fields.nt,
    utf16(fields.domain),
    utf16(fields.user),
    utf16(fields.workstation),
    new Uint8Array(0),
  ];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  // Security buffer order in the header: LM, NT, domain, user, workstation, session key; payload order: domain,
  // user, workstation, LM, NT, as Windows lays it out (§4.2.4.3).
  const layout = [2, 3, 4, 0, 1, 5];
  const offsets: number[] = [];
  let offset = 64;
  for (const index of layout) {
    offsets[index] = offset;
    offset += payloads[index]!.length;
  }
  payloads.forEach((payload, index) => {
    const at = 12 + index * 8;
    header.writeUInt16LE(payload.length, at);
    header.writeUInt16LE(payload.length, at + 2);
    header.writeUInt32LE(offsets[index]!, at + 4);
  });
  header.writeUInt32LE(fields.flags >>> 0, 60);
  return new Uint8Array(Buffer.concat([header, ...layout.map((index) => payloads[index]!)]));
}
