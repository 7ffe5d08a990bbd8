import { describe, expect, it } from 'vitest';
import {
  listContains,
  parseAddressSpec,
  representativeAddress,
  specContains,
  type AddressSpec,
} from '../../shared/addressSpec.js';

function spec(text: string): AddressSpec {
  const parsed = parseAddressSpec(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe("relay and connection list entries (the article's Table 1)", () => {
  it('parses single addresses, subnets and domains, IPv4 and IPv6', () => {
    expect(spec('127.0.0.10')).toMatchObject({ kind: 'address', address: '127.0.0.10', family: 4 });
    expect(spec('127.0.1.77/24')).toMatchObject({ kind: 'subnet', network: '127.0.1.0', prefix: 24 });
    expect(spec('2001:db8::/32')).toMatchObject({ kind: 'subnet', family: 6, prefix: 32 });
    expect(spec('::1')).toMatchObject({ kind: 'address', family: 6 });
    expect(spec('mail.corp.test')).toMatchObject({ kind: 'domain', domain: 'mail.corp.test' });
  });

  it('explains what is wrong with a bad entry', () => {
    expect(parseAddressSpec('127.0.0.300')).toEqual({ error: '"127.0.0.300" is not a valid IPv4 address' });
    expect(parseAddressSpec('10.0.0.0/33')).toMatchObject({ error: expect.stringMatching(/not a valid subnet/) });
    expect(parseAddressSpec('not an address!')).toMatchObject({ error: expect.stringMatching(/neither/) });
  });

  it('matches addresses against entries; a domain needs reverse DNS', () => {
    expect(specContains(spec('127.0.1.0/24'), '127.0.1.77')).toBe(true);
    expect(specContains(spec('127.0.1.0/24'), '127.0.2.5')).toBe(false);
    expect(specContains(spec('127.0.0.10'), '::ffff:127.0.0.10')).toBe(true);
    expect(specContains(spec('2001:db8::/32'), '127.0.0.1')).toBe(false);
    expect(listContains([spec('corp.test')], '127.0.0.1')).toBe('unknown');
    expect(listContains([spec('corp.test'), spec('127.0.0.0/8')], '127.0.0.1')).toBe(true);
  });

  it('stands a subnet by its first host address', () => {
    expect(representativeAddress(spec('127.0.1.0/24'))).toBe('127.0.1.1');
    expect(representativeAddress(spec('127.0.0.5'))).toBe('127.0.0.5');
    expect(representativeAddress(spec('corp.test'))).toBeUndefined();
  });
});
