// The browser host's gate as pure logic: the one-time code, the session cookie, and reading a socket's owner from
// a /proc/net/tcp listing. The real attack is tested in test/host/localAttacker.test.ts.
import { describe, expect, it } from 'vitest';
import { procAddress, socketOwner } from '../../main/host/peerUser.js';
import { cookieValue, createSessionGate, sessionCookieName } from '../../main/host/sessionGate.js';

describe('the one-time code', () => {
  it('is exchanged once for an HttpOnly, SameSite=Strict cookie named for the port; wrong codes do not spend it', () => {
    const gate = createSessionGate(41234);
    expect(gate.exchange('guess')).toBeUndefined();
    expect(gate.exchange(null)).toBeUndefined();
    const cookie = gate.exchange(gate.code)!;
    expect(cookie).toMatch(/^relay-tester-41234=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(gate.exchange(gate.code)).toBeUndefined();
    const session = cookie.split(';')[0]!;
    expect(gate.admits(`theme=dark; ${session}`)).toBe(true);
    expect(gate.admits(`${session}x`)).toBe(false);
    expect(gate.admits(`relay-tester-41235=${session.split('=')[1]}`)).toBe(false); // another port's name
    expect(gate.admits(undefined)).toBe(false);
    expect(gate.admits(`relay-tester-41234=${gate.code}`)).toBe(false); // the code is no session
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; relay-tester-1=xyz; b=2', sessionCookieName(1))).toBe('xyz');
    expect(cookieValue('xrelay-tester-1=abc', sessionCookieName(1))).toBeUndefined();
    expect(cookieValue(undefined, 'a')).toBeUndefined();
  });
});

describe("a socket's owner from /proc/net/tcp", () => {
  const listing = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:A112 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
    '   1: 0100007F:A112 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
    '   2: 0100007F:D431 0100007F:A112 01 00000000:00000000 00:00000000 00000000 65534        0 3 1 0 20 4 30 10 -1',
  ].join('\n');

  it('writes addresses as the kernel does: little-endian hex address, big-endian hex port', () => {
    expect(procAddress('127.0.0.1', 41234)).toBe('0100007F:A112');
    expect(procAddress('127.0.0.3', 2525)).toBe('0300007F:09DD');
    expect(procAddress('::ffff:127.0.0.1', 54321)).toBe('0100007F:D431');
  });

  it('finds the client end of a connection and its uid, not the server end', () => {
    expect(socketOwner(listing, procAddress('127.0.0.1', 54321), procAddress('127.0.0.1', 41234))).toBe(65534);
    expect(socketOwner(listing, procAddress('127.0.0.1', 41234), procAddress('127.0.0.1', 54321))).toBe(0);
    expect(socketOwner(listing, procAddress('127.0.0.1', 1), procAddress('127.0.0.1', 41234))).toBeUndefined();
  });
});
