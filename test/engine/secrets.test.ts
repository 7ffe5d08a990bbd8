// docs/reliability.md §19 inside the engine: a canary secret used with PLAIN, LOGIN, CRAM-MD5, NTLM, XOAUTH2 and
// OAUTHBEARER (as a token) appears nowhere in what a session produces (result, outcome, live events, the printed
// transcript), in no form a dialog could carry it: itself, its base64, the PLAIN and XOAUTH2 blobs, any base64
// that decodes to it, the NTLM authenticate message. Servers that quote back what they received included.
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../shared/transcriptFormat.js';
import { describeOutcome } from '../../main/cli/probe.js';
import { CANARY, CANARY_FORMS, CANARY_USER, authServer, expectNoCanary } from './canary.js';
import { fakeServer } from './fakeServer.js';
import { probe, specFor } from './harness.js';

describe('the canary password leaves no trace (reliability §19)', () => {
  it('is searched for in the forms that really cross the wire', async () => {
    const server = await fakeServer(authServer('plain', 'refused'));
    await probe(specFor(server.port, { auth: { user: CANARY_USER, password: CANARY, mechanism: 'plain' } }));
    expect((await server.connection()).receivedText).toContain(`AUTH PLAIN ${CANARY_FORMS[2]}\r\n`);
  });

  const cases = (['plain', 'login', 'cram-md5', 'ntlm', 'xoauth2', 'oauthbearer'] as const).flatMap((mechanism) =>
    (['accepted', 'refused', 'echoed', 'stalled'] as const).map((ending) => [mechanism, ending] as const),
  );

  it.each(cases)('with %s and a server that %s the credentials', async (mechanism, ending) => {
    const server = await fakeServer(authServer(mechanism, ending));
    const spec = specFor(server.port, {
      auth: { user: CANARY_USER, password: CANARY, mechanism },
      timeouts: { connectMs: 2_000, greetingMs: 2_000, replyMs: ending === 'stalled' ? 300 : 2_000 },
    });
    const { result, outcome, live } = await probe(spec);
    expect(outcome.outcome).toBe(
      { accepted: 'recipient-rejected', refused: 'auth-failed', echoed: 'auth-failed', stalled: 'timeout' }[ending],
    );
    expectNoCanary(JSON.stringify(result), 'the session result');
    expectNoCanary(JSON.stringify(outcome), 'the outcome');
    expectNoCanary(JSON.stringify(live), 'the live events');
    const printed = live.map((event) => formatEvent(event, { colour: false, timestamps: true })).join('\n');
    expectNoCanary(`${printed}\n${describeOutcome(outcome, false).text}`, 'the printed transcript');
  });
});
