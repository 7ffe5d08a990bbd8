import { describe, expect, it } from 'vitest';
import {
  clientAddressNamed,
  proveSource,
  vantageFor,
  vantagePointSchema,
  type VantagePoint,
} from '../../shared/vantage.js';

const branch = vantagePointSchema.parse({
  name: 'branch',
  ssh: { host: '10.77.1.2', user: 'relaytest', hostKeySha256: 'SHA256:oypAOfiRZugH+iBTa3vASC9Rohi8NHuyKfmNcpOS37g' },
  serves: ['10.77.1.0/24'],
});
const dmz = vantagePointSchema.parse({ name: 'dmz-proxy', socks5: { host: '10.77.2.2' }, serves: ['10.77.2.2'] });
const points: VantagePoint[] = [branch, dmz];

describe('vantage points in a plan', () => {
  it('fill in the usual ports', () => {
    expect(branch.ssh?.port).toBe(22);
    expect(dmz.socks5?.port).toBe(1080);
  });

  it('need exactly one way in, and at most one way to trust the host key', () => {
    const problems = (value: unknown) => {
      const result = vantagePointSchema.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    };
    expect(problems({ name: 'x', serves: ['10.0.0.1'] })).toContain('give exactly one of "ssh" or "socks5"');
    const both = { host: 'h', user: 'u', hostKeySha256: `SHA256:${'A'.repeat(43)}`, knownHosts: 'kh' };
    expect(problems({ name: 'x', ssh: both, serves: ['10.0.0.1'] })).toContain(
      'give either hostKeySha256 or knownHosts, not both',
    );
    expect(problems({ name: 'x', ssh: { host: 'h', user: 'u' }, serves: ['10.0.0.1'] })).toEqual([]);
    expect(problems({ name: 'x', socks5: { host: 'h' }, serves: ['10.0.0.300'] }).join()).toMatch(/not a valid IPv4/);
    expect(problems({ name: 'x', socks5: { host: 'h\u001b]0;x\u0007' }, serves: ['10.0.0.1'] }).join()).toMatch(
      /control characters/,
    );
  });

  it('serve the sources that contain every address they may come from', () => {
    expect(vantageFor('10.77.1.0/24', points)?.name).toBe('branch');
    // Somewhere in 10.77.1.0/24 is not proof of one address or a narrower subnet.
    expect(vantageFor('10.77.1.9', points)).toBeUndefined();
    expect(vantageFor('10.77.1.128/25', points)).toBeUndefined();
    expect(vantageFor('10.77.2.2', points)?.name).toBe('dmz-proxy');
    expect(vantageFor('10.77.2.0/24', points)?.name).toBe('dmz-proxy');
    expect(vantageFor('10.77.0.0/16', points)?.name).toBe('branch');
    expect(vantageFor('10.77.3.0/24', points)).toBeUndefined();
    expect(vantageFor('corp.test', points)).toBeUndefined();
  });
});

describe('proof of source', () => {
  it('reads the client address a server names in its EHLO reply', () => {
    expect(clientAddressNamed('mail.corp.test Hello [10.77.1.2]')).toBe('10.77.1.2');
    expect(clientAddressNamed('mail.corp.test Nice to meet you, [10.77.2.2]')).toBe('10.77.2.2');
    expect(clientAddressNamed('EXCH01.corp.test Hello [IPv6:2001:db8::1]')).toBe('2001:db8::1');
    expect(clientAddressNamed('relay.corp.test')).toBeUndefined();
  });

  it('proves, refutes or says it cannot tell', () => {
    expect(proveSource('10.77.1.0/24', 'mail Hello [10.77.1.2]')).toEqual({ proven: true, address: '10.77.1.2' });
    expect(proveSource('10.77.1.0/24', 'mail Hello [10.77.9.9]')).toEqual({
      proven: false,
      address: '10.77.9.9',
      reason: 'tested from 10.77.9.9, not from 10.77.1.0/24',
    });
    expect(proveSource('10.77.1.0/24', 'relay.corp.test').proven).toBe('unknown');
  });
});
