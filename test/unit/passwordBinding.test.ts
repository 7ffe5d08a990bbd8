// How servers are named for password bindings, and how a typed list of them is read.
import { describe, expect, it } from 'vitest';
import { parseServerList, planServerAddresses, serverAddress } from '../../shared/passwordBinding.js';

describe('the servers a password is bound to', () => {
  it('names a server host:port, the host in lower case without a trailing dot, IPv6 in brackets', () => {
    expect(serverAddress('Mail.Corp.Test.', 587)).toBe('mail.corp.test:587');
    expect(serverAddress('::1', 25)).toBe('[::1]:25');
    expect(serverAddress('127.0.0.1', 2525)).toBe('127.0.0.1:2525');
  });

  it('reads a typed list separated by commas, spaces or lines, without duplicates', () => {
    expect(parseServerList('mail.corp.test:587, 127.0.0.1:2525\n[::1]:25 MAIL.corp.test.:587')).toEqual({
      servers: ['mail.corp.test:587', '127.0.0.1:2525', '[::1]:25'],
    });
  });

  it.each([
    ['', /at least one server/],
    ['mail.corp.test', /is not host:port/],
    ['mail.corp.test:0', /port must be 1 to 65535/],
    ['mail.corp.test:70000', /port must be 1 to 65535/],
    ['::1:25', /IPv6 goes in brackets/],
    ['evil\u001b]0;x:25', /is not a host name/],
  ])('says what is wrong with %j', (text, problem) => {
    const parsed = parseServerList(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });

  it("takes a plan's servers as the editor holds them, skipping those without a usable host and port", () => {
    const plan = {
      servers: [
        { host: 'Mail.corp.test', port: 25 },
        { host: '::1', port: 587 },
        { host: '', port: 25 },
        { host: 'x.test', port: '25' },
        null,
      ],
    };
    expect(planServerAddresses(plan)).toEqual(['mail.corp.test:25', '[::1]:587']);
    expect(planServerAddresses({})).toEqual([]);
  });
});
