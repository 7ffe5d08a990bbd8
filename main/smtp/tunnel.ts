// A way to open the session's TCP connection from somewhere else (a vantage point), so the server sees that
// machine's address. The engine speaks the same dialog over whatever stream it gets; main/vantage implements this
// over SSH direct-tcpip channels and SOCKS5.
import type { Duplex } from 'node:stream';

export interface Tunnel {
  /** For the transcript, e.g. "ssh relaytest@10.77.1.2:22 (host key SHA256:…)". */
  readonly describe: string;
  /** The address the far side's connections come from, when known (the vantage point's own address). */
  readonly seenFrom?: string;
  /** The far side's verified identity once connected (an SSH host key fingerprint), for the transcript. */
  readonly hostKey?: string | undefined;
  /** Why the tunnel itself broke, once it has (so a session cut by it is not blamed on the server). */
  readonly failure?: string | undefined;
  /** Opens a TCP connection to host:port from the far side; rejects with a message in the user's words. */
  open(host: string, port: number, signal?: AbortSignal): Promise<Duplex>;
}
