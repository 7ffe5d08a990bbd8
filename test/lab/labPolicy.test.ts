// The lab's decisions as an Exchange 2003 virtual server makes them, without sockets: who may connect, who may
// relay, and how the presets differ from the article's end state.
import { describe, expect, it } from 'vitest';
import type { VirtualServerConfig } from '../../main/lab/labConfig.js';
import { chooseLayout } from '../../main/lab/labLayout.js';
import { connectionDecision, matchComputerList, relayDecision } from '../../main/lab/labPolicy.js';
import { LAB_ACCOUNTS, labPreset, PRESET_NAMES } from '../../main/lab/presets.js';

const LOCAL = ['corp.test'];
const secure = labPreset('secure');
const defaultServer = secure.servers[0]!;
const relayServer = secure.servers[1]!;
const [alice, bob, mallory] = LAB_ACCOUNTS;

function relays(
  server: VirtualServerConfig,
  client: string,
  account?: (typeof LAB_ACCOUNTS)[number],
  recipient = 'x@external.example',
) {
  return relayDecision(server, LOCAL, { client, recipient, ...(account ? { account } : {}) }).allowed;
}

describe('relay restrictions of the secure relay virtual server', () => {
  it('accepts mail for the local domain from anyone, without relaying', () => {
    const decision = relayDecision(relayServer, LOCAL, { client: '127.0.2.5', recipient: 'someone@CORP.test' });
    expect(decision.allowed).toBe(true);
    expect(decision.reason).toContain('local domain');
    expect(relays(defaultServer, '127.0.0.5', undefined, 'x@corp.test')).toBe(true);
  });

  it('lets the listed single computer and the listed group of computers relay without authenticating', () => {
    expect(relays(relayServer, '127.0.0.10')).toBe(true);
    expect(relays(relayServer, '127.0.1.1')).toBe(true);
    expect(relays(relayServer, '127.0.1.254')).toBe(true);
    expect(
      relayDecision(relayServer, LOCAL, { client: '127.0.1.7', recipient: 'x@external.example' }).reason,
    ).toContain('127.0.1.0/24');
  });

  it('refuses unlisted computers that did not authenticate', () => {
    expect(relays(relayServer, '127.0.0.5')).toBe(false);
    expect(relays(relayServer, '127.0.2.5')).toBe(false);
    expect(relays(relayServer, '127.0.0.11')).toBe(false);
    expect(relayDecision(relayServer, LOCAL, { client: '127.0.0.5', recipient: 'x@external.example' }).reason).toBe(
      '127.0.0.5 is not in the relay list and did not authenticate',
    );
  });

  it('lets SMTP-APPROVED members relay after authenticating, from anywhere', () => {
    expect(relays(relayServer, '127.0.0.5', alice)).toBe(true);
    expect(relays(relayServer, '127.0.2.5', bob)).toBe(true);
    expect(
      relayDecision(relayServer, LOCAL, { client: '127.0.0.5', account: alice, recipient: 'x@external.example' })
        .reason,
    ).toContain('SMTP-APPROVED has Relay Permission');
  });

  it('does not let mallory relay: a valid login without Relay Permission', () => {
    const decision = relayDecision(relayServer, LOCAL, {
      client: '127.0.0.5',
      account: mallory,
      recipient: 'x@external.example',
    });
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain('mallory authenticated but has no Relay Permission (granted to: SMTP-APPROVED)');
  });
});

describe('the default virtual server, locked down as the article says', () => {
  it('relays for nobody, not even SMTP-APPROVED members', () => {
    for (const client of ['127.0.0.5', '127.0.0.10', '127.0.1.1']) expect(relays(defaultServer, client)).toBe(false);
    for (const account of LAB_ACCOUNTS) expect(relays(defaultServer, '127.0.0.5', account)).toBe(false);
  });

  it('greets everyone: its connection list refuses nobody', () => {
    expect(connectionDecision(defaultServer, '127.0.9.1').allowed).toBe(true);
  });
});

describe('Exchange settings the presets do not use', () => {
  const base = (): VirtualServerConfig => structuredClone(relayServer);

  it('Relay Permission granted to Authenticated Users (Exchange 2003 out of the box) lets any login relay', () => {
    const server = base();
    server.relay.relayPermission = ['Authenticated Users'];
    expect(relays(server, '127.0.0.5', mallory)).toBe(true);
    expect(relays(server, '127.0.0.5')).toBe(false);
  });

  it('Relay Permission can be granted to a single account', () => {
    const server = base();
    server.relay.relayPermission = ['Bob'];
    expect(relays(server, '127.0.0.5', bob)).toBe(true);
    expect(relays(server, '127.0.0.5', alice)).toBe(false);
  });

  it('"All except the list below" relays for unlisted computers and refuses listed ones unless they authenticate', () => {
    const server = base();
    server.relay.computers = { grant: 'all-except-list', entries: ['127.0.2.0/24'] };
    expect(relays(server, '127.0.0.5')).toBe(true);
    expect(relays(server, '127.0.2.5')).toBe(false);
    expect(relays(server, '127.0.2.5', alice)).toBe(true);
  });

  it('never matches a domain entry, and says that reverse DNS would be needed', () => {
    expect(matchComputerList(['laptop6247.corp.test'], '127.0.0.5')).toEqual({
      notes: [
        'domain entry laptop6247.corp.test not matched: it needs a reverse DNS (PTR) lookup of 127.0.0.5, which the lab does not do on loopback',
      ],
    });
    const server = base();
    server.relay.computers.entries = ['laptop6247.corp.test'];
    const decision = relayDecision(server, LOCAL, { client: '127.0.0.5', recipient: 'x@external.example' });
    expect(decision.allowed).toBe(false);
    expect(decision.notes).toHaveLength(1);
  });
});

describe('connection control', () => {
  it('refuses the denied subnet and greets the rest', () => {
    const refused = connectionDecision(relayServer, '127.0.9.1');
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toContain('127.0.9.0/24');
    expect(connectionDecision(relayServer, '127.0.9.254').allowed).toBe(false);
    expect(connectionDecision(relayServer, '127.0.0.5').allowed).toBe(true);
  });

  it('"Only the list below" greets listed computers only; a domain entry matches nobody', () => {
    const server = { connection: { grant: 'only-list' as const, entries: ['127.0.1.0/24', 'vpn.corp.test'] } };
    expect(connectionDecision(server, '127.0.1.9').allowed).toBe(true);
    const refused = connectionDecision(server, '127.0.0.5');
    expect(refused.allowed).toBe(false);
    expect(refused.notes[0]).toContain('reverse DNS');
  });
});

describe('presets', () => {
  it('each misconfiguration changes only the relay virtual server, in the one setting it names', () => {
    for (const name of PRESET_NAMES.filter((preset) => preset !== 'secure')) {
      const preset = labPreset(name);
      expect(preset.servers[0]).toEqual(defaultServer);
      expect(preset.accounts).toEqual(secure.accounts);
      const relay = preset.servers[1]!;
      expect({ ...relay, connection: undefined, relay: undefined, addressTricks: undefined }).toEqual({
        ...relayServer,
        connection: undefined,
        relay: undefined,
      });
    }
    expect(relayServer.addressTricks).toBeUndefined();
    expect(labPreset('trick-relay').servers[1]!.addressTricks).toBe('forward');
    expect(labPreset('trick-local').servers[1]!.addressTricks).toBe('local');
    expect(labPreset('trick-relay').servers[1]!.relay).toEqual(relayServer.relay);
    expect(labPreset('open-relay').servers[1]!.relay.computers).toEqual({ grant: 'all-except-list', entries: [] });
    expect(labPreset('any-authenticated').servers[1]!.relay.allowAllAuthenticated).toBe(true);
    expect(labPreset('no-connection-filter').servers[1]!.connection.entries).toEqual([]);
    expect(labPreset('wide-subnet').servers[1]!.relay.computers.entries).toEqual(['127.0.0.10', '127.0.0.0/16']);
  });

  it('open-relay relays for anyone, any-authenticated for mallory, wide-subnet for 127.0.0.5 and 127.0.2.5', () => {
    expect(relays(labPreset('open-relay').servers[1]!, '127.0.2.5')).toBe(true);
    expect(relays(labPreset('any-authenticated').servers[1]!, '127.0.0.5', mallory)).toBe(true);
    expect(relays(labPreset('any-authenticated').servers[1]!, '127.0.0.5')).toBe(false);
    const wide = labPreset('wide-subnet').servers[1]!;
    expect(relays(wide, '127.0.0.5')).toBe(true);
    expect(relays(wide, '127.0.2.5')).toBe(true);
    expect(relays(wide, '127.3.0.1')).toBe(false);
  });

  it('puts every virtual server on 127.0.0.1 with its own port where loopback aliases cannot be bound', async () => {
    const choice = await chooseLayout(2526, async (address) => address === '127.0.0.1');
    expect(choice.layout).toEqual({ portBase: 2526, aliases: false });
    expect(choice.notes.join(' ')).toContain('not runnable');
    expect(choice.notes.join(' ')).toContain('127.0.0.2');
    const servers = labPreset('secure', choice.layout).servers;
    expect(servers.map((server) => `${server.address}:${server.port}`)).toEqual(['127.0.0.1:2526', '127.0.0.1:2527']);
    expect(labPreset('secure', { portBase: 0, aliases: false }).servers.map((server) => server.port)).toEqual([0, 0]);
    expect((await chooseLayout(0, async () => true)).layout).toEqual({ portBase: 0, aliases: true });
  });
});
