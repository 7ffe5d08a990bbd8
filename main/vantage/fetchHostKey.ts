// The app's "fetch and confirm" step: connect to a vantage point's SSH server only far enough to read its host key,
// then stop. The key is refused on purpose, so no credential is ever offered and nothing is trusted; the user
// compares the fingerprint with the machine's owner before it goes into the plan.
import ssh2 from 'ssh2';
import { hostKeyFingerprint } from './hostKey.js';

export interface FetchedHostKey {
  /** "SHA256:…", as `ssh-keygen -lf` prints it. */
  sha256: string;
  /** The key type the server chose, e.g. "ssh-ed25519". */
  type: string;
}

/** Reads the host key host:port shows; rejects with the reason in the user's words when there is none. */
export function fetchHostKey(host: string, port: number, timeoutMs = 10_000): Promise<FetchedHostKey> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let fetched: FetchedHostKey | undefined;
    const finish = (error?: Error) => {
      client.removeAllListeners();
      client.on('error', () => {});
      client.destroy(); // not end(): a peer that never spoke SSH would keep the socket open
      if (fetched) resolve(fetched);
      else reject(error ?? new Error(`${host}:${port} closed the connection before showing a host key`));
    };
    client.on('error', (error: Error & { level?: string }) => {
      if (fetched) return finish();
      const why =
        error.level === 'client-timeout' ? `no SSH server answered within ${timeoutMs / 1000} s` : error.message;
      finish(new Error(`could not read the host key of ${host}:${port}: ${why}`));
    });
    client.on('close', () => finish());
    client.connect({
      host,
      port,
      username: 'relay-tester-host-key-check',
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake before authentication: nothing is sent but the key exchange.
      hostVerifier: (key: Buffer) => {
        const type =
          key.readUInt32BE(0) <= key.length - 4
            ? key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1')
            : 'unknown';
        fetched = { sha256: hostKeyFingerprint(key), type };
        return false;
      },
    });
  });
}
