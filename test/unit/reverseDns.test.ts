// The pure parts of forward-confirmed reverse DNS: the PTR query name, and the matching rules with a resolver that
// gives the answers a real server gives (the real server is exercised in test/vantage/domainSources.test.ts).
import { describe, expect, it } from 'vitest';
import { confirmedNameIn, reverseName, type ReverseResolver } from '../../main/reverseDns.js';

function resolver(ptr: Record<string, string[]>, forward: Record<string, string[]>): ReverseResolver {
  return {
    reverse: async (address) => ptr[address] ?? [],
    forward: async (name) => forward[name.replace(/\.$/, '')] ?? [],
  };
}

describe('reverseName', () => {
  it('names the PTR record of IPv4 and IPv6 addresses', () => {
    expect(reverseName('10.77.1.2')).toBe('2.1.77.10.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.0.0.0.${'0.0.0.0.'.repeat(5)}8.b.d.0.1.0.0.2.ip6.arpa`);
    expect(reverseName('::ffff:10.77.1.2')).toBe('2.1.77.10.in-addr.arpa');
  });
});

describe('confirmedNameIn', () => {
  it('needs the name inside the domain on a label boundary, and back to the same address', async () => {
    const dns = resolver(
      {
        '10.0.0.1': ['gw.branch.corp.test.'],
        '10.0.0.2': ['notbranch.corp.test'],
        '2001:db8::5': ['v6.branch.corp.test'],
      },
      {
        'gw.branch.corp.test': ['10.0.0.1'],
        'notbranch.corp.test': ['10.0.0.2'],
        'v6.branch.corp.test': ['2001:db8:0:0:0:0:0:5'],
      },
    );
    expect(await confirmedNameIn('10.0.0.1', 'branch.corp.test', dns)).toEqual({
      matched: true,
      name: 'gw.branch.corp.test',
    });
    expect(await confirmedNameIn('10.0.0.2', 'branch.corp.test', dns)).toEqual({
      matched: false,
      why: '10.0.0.2 is notbranch.corp.test, not in branch.corp.test',
      kind: 'elsewhere',
    });
    expect(await confirmedNameIn('2001:db8::5', 'branch.corp.test', dns)).toEqual({
      matched: true,
      name: 'v6.branch.corp.test',
    });
    expect(await confirmedNameIn('10.0.0.1', 'corp.test', dns)).toEqual({ matched: true, name: 'gw.branch.corp.test' });
  });
});
