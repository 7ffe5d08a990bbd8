// XOAUTH2 against the lab (smtp-server's XOAUTH2 through the lab's onAuth), as Microsoft 365 offers it: a valid
// access token relays for an approved account, an expired or wrong one is refused with RFC 7628's JSON error
// challenge, which the engine decodes for the transcript and acknowledges with an empty response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAccessTokens } from '../../main/lab/labPolicy.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset, LAB_ACCOUNTS } from '../../main/lab/presets.js';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec } from '../../main/smtp/sessionSpec.js';
import { classifyOutcome } from '../../shared/outcome.js';
import type { AuthMechanism, SessionResult } from '../../shared/session.js';

let lab: RunningLab;
let relay: { host: string; port: number };

beforeAll(async () => {
  const config = labPreset('secure', { portBase: 0, aliases: true });
  config.servers[1]!.authentication.methods = ['LOGIN', 'PLAIN', 'XOAUTH2'];
  lab = await startLab(config);
  relay = lab.servers[1]!;
});
afterAll(() => lab?.stop());

const alice = LAB_ACCOUNTS.find((account) => account.name === 'alice')!;
const mallory = LAB_ACCOUNTS.find((account) => account.name === 'mallory')!;

function withToken(user: string, token: string, mechanism: AuthMechanism = 'xoauth2'): Promise<SessionResult> {
  const spec: SessionSpec = {
    host: relay.host,
    port: relay.port,
    source: '127.0.0.5',
    tls: 'starttls',
    certificate: { mode: 'pin', sha256: lab.certificate.sha256 },
    helo: 'client.test',
    auth: { user, password: token, mechanism },
    timeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 5000 },
    steps: defaultSteps({ from: 'helpdesk@corp.test', to: ['x@external.example'], auth: true, tls: 'starttls' }),
  };
  return runSession(spec);
}

function texts(session: SessionResult, type: 'client' | 'note'): string[] {
  return session.events.flatMap((event) => (event.type === type ? [event.text] : []));
}

function expectTokenHidden(session: SessionResult, token: string): void {
  const recorded = JSON.stringify(session);
  expect(recorded).not.toContain(token);
  const blob = Buffer.from(`user=alice\x01auth=Bearer ${token}\x01\x01`).toString('base64');
  expect(recorded).not.toContain(blob);
  // The lab's own protocol log is shown in the app too: smtp-server masks the AUTH line there.
  expect(JSON.stringify(lab.log.events())).not.toContain(blob);
}

describe('XOAUTH2 against the lab', () => {
  it('a valid token relays for alice, and the token never appears in the transcript', async () => {
    const token = labAccessTokens(alice).valid;
    const session = await withToken('alice', token);
    expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
    expect(texts(session, 'client')).toContain('AUTH XOAUTH2 <XOAUTH2 access token for alice hidden>');
    expectTokenHidden(session, token);
    expect(
      lab.log.events().some((event) => event.text === 'alice authenticated with XOAUTH2 (a valid access token)'),
    ).toBe(true);
  });

  it('an expired token is auth-failed; the JSON error is decoded and acknowledged with an empty line', async () => {
    const token = labAccessTokens(alice).expired;
    const session = await withToken('alice', token);
    const outcome = classifyOutcome(session);
    expect(outcome.outcome).toBe('auth-failed');
    expect(outcome.code).toBe(535);
    expect(texts(session, 'note')).toContain(
      'the server refused the token: status "invalid_token", scope "https://outlook.office.com/SMTP.Send", schemes "bearer"',
    );
    expect(texts(session, 'client')).toContain('<empty response: the error is acknowledged>');
    expectTokenHidden(session, token);
    expect(lab.log.events().some((event) => event.text.endsWith('with XOAUTH2: the access token has expired'))).toBe(
      true,
    );
  });

  it('a wrong token is auth-failed', async () => {
    const session = await withToken('alice', 'not-a-lab-token-0f9e');
    expect(classifyOutcome(session).outcome).toBe('auth-failed');
    expectTokenHidden(session, 'not-a-lab-token-0f9e');
  });

  it("mallory's valid token authenticates but does not earn relaying", async () => {
    const session = await withToken('mallory', labAccessTokens(mallory).valid);
    expect(classifyOutcome(session).outcome).toBe('recipient-rejected');
  });

  it('OAUTHBEARER, which smtp-server does not implement, is auth-unavailable with nothing sent', async () => {
    const session = await withToken('alice', labAccessTokens(alice).valid, 'oauthbearer');
    expect(classifyOutcome(session).outcome).toBe('auth-unavailable');
  });
});
