// A vantage point that cannot log in for want of its secret says where to give it, in the face's own words: the
// app names its controls (Plan → Vantage points, Plan → Passwords), the CLI the secrets file's key.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { appSecretAdvice } from '../../main/api/vantageSecrets.js';
import { VantagePool } from '../../main/vantage/vantagePool.js';
import { vantagePointSchema } from '../../shared/vantage.js';

const point = vantagePointSchema.parse({
  name: 'branch',
  ssh: { host: '10.77.1.2', port: 22, user: 'relaytest', hostKeySha256: `SHA256:${'A'.repeat(43)}` },
  serves: ['10.77.1.0/24'],
});

let agent: string | undefined;
beforeEach(() => {
  agent = process.env.SSH_AUTH_SOCK;
  delete process.env.SSH_AUTH_SOCK;
});
afterEach(() => {
  if (agent !== undefined) process.env.SSH_AUTH_SOCK = agent;
});

async function whyNot(advice?: (name: string) => string): Promise<string> {
  const pool = await VantagePool.open([point], '.', new Map(), advice);
  const entry = pool.get('branch');
  pool.close();
  return entry && 'error' in entry ? entry.error : 'it would log in';
}

it('tells the app user to keep the secret in the app, never the CLI secrets file', async () => {
  const reason = await whyNot(appSecretAdvice);
  expect(reason).toBe(
    'vantage point branch has no way to log in: give an identityFile, an SSH agent (SSH_AUTH_SOCK) or a password (keep it in Plan → Vantage points → branch, or in Plan → Passwords)',
  );
  expect(reason).not.toContain('secret "vantage:');
});

it('tells the CLI user the secrets file key', async () => {
  expect(await whyNot()).toContain('or a password (secret "vantage:branch")');
});
