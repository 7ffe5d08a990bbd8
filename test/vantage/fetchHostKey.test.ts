// The app's "fetch and confirm" step against the vantage bed's real sshd: the host key is read without
// authenticating, a port with no SSH server is a clear error, and the command's request is validated in main.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { dispatch } from '../../main/api/dispatch.js';
import { fetchHostKeyCommand } from '../../main/api/fetchHostKeyCommand.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { vantageSecretsFor } from '../../main/api/vantageSecrets.js';
import { fetchHostKey } from '../../main/vantage/fetchHostKey.js';
import { checkPlan } from '../../shared/plan.js';
import { BRANCH, bedHostKeySha256, startVantageBed } from '../support/vantagebed.js';

let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();

beforeAll(async () => {
  startVantageBed();
  // Accepts TCP and says nothing: not an SSH server.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // reads (and ignores) what comes, so it sees the client hang up
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('fetchHostKey', () => {
  it('reads the host key the SSH server shows, as ssh-keygen -lf prints it', async () => {
    expect(await fetchHostKey(BRANCH.host, BRANCH.port)).toEqual({ sha256: bedHostKeySha256(), type: 'ssh-ed25519' });
  });

  it('says in words when nothing or no SSH server answers', async () => {
    await expect(fetchHostKey('127.0.0.1', 9)).rejects.toThrow(
      /^could not read the host key of 127\.0\.0\.1:9: .*ECONNREFUSED/,
    );
    await expect(fetchHostKey('127.0.0.1', silentPort, 1000)).rejects.toThrow(
      `could not read the host key of 127.0.0.1:${silentPort}: no SSH server answered within 1 s`,
    );
    // Nothing is left connected to a peer that never spoke SSH.
    await expect.poll(() => silentSockets.size).toBe(0);
  });

  it('is validated in main before it connects anywhere, and its failures are the user’s to read', async () => {
    const handlers = { fetchHostKey: fetchHostKeyCommand } as unknown as Parameters<typeof dispatch>[0];
    expect(await dispatch(handlers, 'fetchHostKey', { host: 'a b', port: 22 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await dispatch(handlers, 'fetchHostKey', { host: BRANCH.host, port: 70000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await dispatch(handlers, 'fetchHostKey', { host: BRANCH.host, port: 22, user: 'x' })).toMatchObject({
      ok: false,
    });
    expect(await dispatch(handlers, 'fetchHostKey', { host: '127.0.0.1', port: 9 })).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/^could not read the host key of 127\.0\.0\.1:9/) },
    });
    expect(await dispatch(handlers, 'fetchHostKey', { host: BRANCH.host, port: 22 })).toEqual({
      ok: true,
      result: { sha256: bedHostKeySha256(), type: 'ssh-ed25519' },
    });
  });
});

describe('vantage secrets in the app', () => {
  it('gives a run a vantage point’s secret only when it is bound to that vantage point’s host:port', async () => {
    const check = checkPlan({
      relayTesterPlan: 1,
      name: 'Secrets',
      domains: { local: ['corp.test'], external: 'external.example' },
      sender: 'helpdesk@corp.test',
      accounts: [],
      sources: ['10.77.1.0/24'],
      servers: [{ name: 'Mail', host: '10.77.0.1', port: 2525, relay: { users: [], hosts: [] } }],
      vantagePoints: [
        { name: 'branch', ssh: { host: BRANCH.host, user: 'relaytest' }, serves: ['10.77.1.0/24'] },
        { name: 'moved', ssh: { host: '10.77.9.9', user: 'relaytest' }, serves: ['10.77.9.9'] },
      ],
    });
    if (!check.ok) throw new Error(JSON.stringify(check.problems));
    const store = new MemoryPasswordStore();
    await store.set('vantage:branch', 'branch-passphrase', [`${BRANCH.host}:22`]);
    await store.set('vantage:moved', 'moved-passphrase', ['10.77.1.2:22']); // entered for another host
    expect(vantageSecretsFor(check.plan, store)).toEqual(new Map([['vantage:branch', 'branch-passphrase']]));
  });
});
