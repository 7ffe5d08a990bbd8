// The engine against a real Postfix reproducing the article's two virtual servers: one assertion per cell.
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyOutcome } from '../../shared/outcome.js';
import { secretForms } from '../../shared/redact.js';
import { assertTestbedRunning, DEFAULT_SERVER, PASSWORDS, probe, RELAY_SERVER } from '../support/testbed.js';

beforeAll(assertTestbedRunning);

async function outcomeOf(options: Parameters<typeof probe>[0]) {
  const session = await probe(options);
  return { session, outcome: classifyOutcome(session) };
}

describe('unauthenticated clients', () => {
  it('127.0.0.5 cannot relay to an external domain', async () => {
    const { outcome } = await outcomeOf({ server: RELAY_SERVER, source: '127.0.0.5' });
    expect(outcome.outcome).toBe('recipient-rejected');
    expect(outcome.code).toBe(554);
    expect(outcome.enhancedCode).toBe('5.7.1');
  });

  it('127.0.0.5 can send to the local domain', async () => {
    const { outcome } = await outcomeOf({ server: RELAY_SERVER, source: '127.0.0.5', to: 'x@corp.test' });
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('the listed host 127.0.0.10 relays without authenticating', async () => {
    expect((await outcomeOf({ server: RELAY_SERVER, source: '127.0.0.10' })).outcome.outcome).toBe(
      'recipient-accepted',
    );
  });

  it('127.0.1.77, inside the listed subnet 127.0.1.0/24, relays without authenticating', async () => {
    expect((await outcomeOf({ server: RELAY_SERVER, source: '127.0.1.77' })).outcome.outcome).toBe(
      'recipient-accepted',
    );
  });

  it('127.0.2.5, outside every list, cannot relay', async () => {
    expect((await outcomeOf({ server: RELAY_SERVER, source: '127.0.2.5' })).outcome.outcome).toBe('recipient-rejected');
  });

  it('127.0.9.5 is refused at connect by the connection filter', async () => {
    const { outcome } = await outcomeOf({ server: RELAY_SERVER, source: '127.0.9.5' });
    expect(outcome.outcome).toBe('rejected-at-connect');
    expect(outcome.stage).toBe('greeting');
    expect(outcome.code).toBe(554);
  });

  it('the default server relays for no listed host either', async () => {
    expect((await outcomeOf({ server: DEFAULT_SERVER, source: '127.0.0.10' })).outcome.outcome).toBe(
      'recipient-rejected',
    );
  });
});

describe('authenticated users', () => {
  for (const user of ['alice', 'bob']) {
    it(`${user} relays through the relay server`, async () => {
      const { outcome } = await outcomeOf({ server: RELAY_SERVER, source: '127.0.0.5', user });
      expect(outcome.outcome).toBe('recipient-accepted');
    });

    it(`${user} cannot relay through the locked-down default server`, async () => {
      const { outcome } = await outcomeOf({ server: DEFAULT_SERVER, source: '127.0.0.5', user });
      expect(outcome.outcome).toBe('recipient-rejected');
    });
  }

  it('mallory authenticates but is not approved to relay', async () => {
    const { session, outcome } = await outcomeOf({ server: RELAY_SERVER, source: '127.0.0.5', user: 'mallory' });
    expect(session.exchanges.some((exchange) => exchange.stage === 'auth' && exchange.reply.code === 235)).toBe(true);
    expect(outcome.outcome).toBe('recipient-rejected');
  });

  it('a wrong password fails authentication', async () => {
    const { outcome } = await outcomeOf({
      server: RELAY_SERVER,
      source: '127.0.0.5',
      user: 'alice',
      password: 'not-her-password',
    });
    expect(outcome.outcome).toBe('auth-failed');
    expect(outcome.code).toBe(535);
  });

  for (const mechanism of ['plain', 'login', 'cram-md5'] as const) {
    it(`alice relays with AUTH ${mechanism.toUpperCase()} over STARTTLS and no secret reaches the transcript`, async () => {
      const { session, outcome } = await outcomeOf({
        server: RELAY_SERVER,
        source: '127.0.0.5',
        user: 'alice',
        mechanism,
      });
      expect(outcome.outcome).toBe('recipient-accepted');
      expect(session.exchanges.find((exchange) => exchange.stage === 'auth')?.command).toMatch(
        new RegExp(`AUTH ${mechanism.toUpperCase()}`),
      );
      const text = JSON.stringify(session);
      for (const form of secretForms('alice', PASSWORDS.get('alice')!)) expect(text).not.toContain(form);
    });
  }

  it('AUTH without TLS works but carries a warning in the transcript', async () => {
    const session = await probe({
      server: RELAY_SERVER,
      source: '127.0.0.5',
      user: 'bob',
      mechanism: 'login',
      tls: 'none',
    });
    expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
    expect(session.events.some((event) => event.type === 'note' && /unencrypted/.test(event.text))).toBe(true);
    const text = JSON.stringify(session);
    for (const form of secretForms('bob', PASSWORDS.get('bob')!)) expect(text).not.toContain(form);
    expect(text).toContain('<username: bob>');
    expect(text).toContain('<password hidden>');
  });
});

describe('the relay server as seen by a client', () => {
  it('announces the masquerade name relay.corp.test in its banner', async () => {
    const session = await probe({ server: RELAY_SERVER, source: '127.0.0.5' });
    expect(session.exchanges[0]?.stage).toBe('greeting');
    expect(session.exchanges[0]?.reply.lines[0]).toContain('relay.corp.test');
  });

  it('upgrades with STARTTLS, forgets the plaintext keywords and records the certificate', async () => {
    const session = await probe({ server: RELAY_SERVER, source: '127.0.0.5' });
    expect(session.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(session.tls?.subject).toContain('CN=relay.corp.test');
    expect(session.tls?.verified).toBe(false);
    expect(session.tls?.trust).toBe('allowed-invalid');
    expect(session.tls?.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(session.capabilities?.startTls).toBe(false); // after TLS, only the second EHLO counts
    expect(session.exchanges.filter((exchange) => exchange.stage === 'ehlo')).toHaveLength(2);
  });

  it('refuses the self-signed certificate when verification is on, and never falls back to plaintext', async () => {
    const session = await probe({ server: RELAY_SERVER, source: '127.0.0.5', certificate: { mode: 'verify' } });
    const outcome = classifyOutcome(session);
    expect(outcome.outcome).toBe('tls-failed');
    expect(outcome.text).toMatch(/certificate refused/);
    expect(session.exchanges.some((exchange) => exchange.stage === 'mail')).toBe(false);
  });

  it('accepts the self-signed certificate by its pinned fingerprint', async () => {
    const first = await probe({ server: RELAY_SERVER, source: '127.0.0.5' });
    const pinned = await probe({
      server: RELAY_SERVER,
      source: '127.0.0.5',
      certificate: { mode: 'pin', sha256: first.tls!.sha256 },
    });
    expect(pinned.tls?.trust).toBe('pinned');
    expect(classifyOutcome(pinned).outcome).toBe('recipient-rejected');
  });
});
