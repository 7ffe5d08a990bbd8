// A vantage point reached over SSH: one connection per vantage point, one direct-tcpip channel per SMTP session
// (what `ssh -W host:port` uses), so the mail server sees the remote machine's address and nothing needs
// installing there but sshd. Host keys are verified before any credential is offered.
import type { Duplex } from 'node:stream';
import ssh2, { type ConnectConfig } from 'ssh2';
import type { Tunnel } from '../smtp/tunnel.js';
import { hostKeyFingerprint, knownHostKeys, sameFingerprint } from './hostKey.js';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
}

export interface SshCredentials {
  /** The private key's text (read from the plan's identityFile by the caller). */
  privateKey?: string;
  passphrase?: string;
  password?: string;
  /** An SSH agent's socket (SSH_AUTH_SOCK). */
  agent?: string;
}

/** Exactly one way to trust the host key: a pinned fingerprint or a known_hosts file's text. */
export type HostKeyTrust = { sha256: string } | { knownHosts: string; file: string };

export class SshTunnel implements Tunnel {
  readonly describe: string;
  private connection: Promise<ssh2.Client> | undefined;
  failure: string | undefined;
  private seenKey: string | undefined;
  private readonly channels = new Set<Duplex>();

  constructor(
    private readonly target: SshTarget,
    private readonly credentials: SshCredentials,
    private readonly trust: HostKeyTrust | undefined,
    private readonly readyTimeoutMs = 15_000,
  ) {
    this.describe = `ssh ${target.user}@${target.host}:${target.port}`;
  }

  /** The host key's fingerprint once the server showed it (also when it was refused). */
  get hostKey(): string | undefined {
    return this.seenKey;
  }

  /** Connects (once) and authenticates; resolves with the host key fingerprint. */
  async connect(): Promise<string> {
    await this.client();
    return this.seenKey!;
  }

  async open(host: string, port: number, signal?: AbortSignal): Promise<Duplex> {
    const client = await this.client();
    if (this.failure) throw new Error(this.failure);
    const channel = await new Promise<Duplex>((resolve, reject) => {
      // The originator address is informational for the server; sshd connects from its own address.
      client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
        if (error) reject(new Error(`${this.describe} could not open ${host}:${port}: ${error.message}`));
        else resolve(stream);
      });
    });
    this.channels.add(channel);
    channel.once('close', () => this.channels.delete(channel));
    if (signal?.aborted) channel.destroy();
    return channel;
  }

  close(): void {
    for (const channel of this.channels) channel.destroy();
    this.connection?.then(
      (client) => client.end(),
      () => {},
    );
  }

  private client(): Promise<ssh2.Client> {
    this.connection ??= this.establish();
    return this.connection;
  }

  private establish(): Promise<ssh2.Client> {
    const client = new ssh2.Client();
    const config: ConnectConfig = {
      host: this.target.host,
      port: this.target.port,
      username: this.target.user,
      readyTimeout: this.readyTimeoutMs,
      keepaliveInterval: 10_000,
      hostVerifier: (key: Buffer) => this.verifyHostKey(key),
    };
    if (this.credentials.privateKey) config.privateKey = this.credentials.privateKey;
    if (this.credentials.passphrase) config.passphrase = this.credentials.passphrase;
    if (this.credentials.password) config.password = this.credentials.password;
    if (this.credentials.agent) config.agent = this.credentials.agent;
    return new Promise<ssh2.Client>((resolve, reject) => {
      let ready = false;
      client.on('ready', () => {
        ready = true;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string }) => {
        const reason = this.failure ?? this.explain(error);
        if (!ready) reject(new Error(reason));
        else this.failure = `the SSH connection to the vantage point (${this.describe}) dropped (${error.message})`;
      });
      client.on('close', () => {
        if (!ready) reject(new Error(this.failure ?? `${this.describe} closed the connection before it was ready`));
        this.failure ??= `the SSH connection to the vantage point (${this.describe}) dropped`;
      });
      client.connect(config);
    });
  }

  private verifyHostKey(key: Buffer): boolean {
    const fingerprint = hostKeyFingerprint(key);
    this.seenKey = fingerprint;
    const where = `${this.target.host}:${this.target.port}`;
    if (!this.trust) {
      this.failure = `${where} presented host key ${fingerprint}, and the plan names none to trust: confirm it out of band, then set hostKeySha256 (or knownHosts)`;
      return false;
    }
    if ('sha256' in this.trust) {
      if (sameFingerprint(fingerprint, this.trust.sha256)) return true;
      this.failure = `${where} presented host key ${fingerprint}, not the expected ${this.trust.sha256}: refused (a changed key can mean a man in the middle)`;
      return false;
    }
    const known = knownHostKeys(this.trust.knownHosts, this.target.host, this.target.port);
    if (known.includes(key.toString('base64'))) return true;
    this.failure =
      known.length === 0
        ? `${where} is not in ${this.trust.file} (its host key is ${fingerprint}): refused`
        : `${where} presented host key ${fingerprint}, which differs from ${this.trust.file}: refused (a changed key can mean a man in the middle)`;
    return false;
  }

  private explain(error: Error & { level?: string }): string {
    if (error.level === 'client-authentication') {
      return `${this.describe} refused our credentials (${error.message}): check the key, passphrase or password`;
    }
    if (error.level === 'client-timeout') return `${this.describe} did not answer in time`;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return `${this.describe}: connection refused`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${this.describe}: no route to host`;
    return `${this.describe}: ${error.message}`;
  }
}
