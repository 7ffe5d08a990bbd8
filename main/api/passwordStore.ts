// Where the app keeps passwords between entering them and running. Each password is bound to the servers
// (host:port, see shared/passwordBinding.ts) it was entered for; the service sends it nowhere else without the
// user's consent. The default keeps them in memory only, for this session; the desktop app swaps in an Electron
// safeStorage store when the OS offers a real keyring.
import type { PasswordStorage } from '../../shared/ipc.js';

export interface StoredPassword {
  password: string;
  /** The servers it may be sent to, as `serverAddress` names them. */
  servers: readonly string[];
}

export interface PasswordStore {
  readonly storage: PasswordStorage;
  get(account: string): StoredPassword | undefined;
  set(account: string, password: string, servers: readonly string[]): Promise<void>;
  /** Replaces the servers a kept password may be sent to; false when the account has no password. */
  bind(account: string, servers: readonly string[]): Promise<boolean>;
  forget(account: string): Promise<boolean>;
  known(): string[];
}

export class MemoryPasswordStore implements PasswordStore {
  private readonly passwords = new Map<string, StoredPassword>();
  constructor(
    readonly storage: PasswordStorage = { kind: 'memory', note: 'Passwords are kept in memory for this session only.' },
  ) {}
  get(account: string): StoredPassword | undefined {
    const entry = this.passwords.get(account);
    return entry && { password: entry.password, servers: [...entry.servers] };
  }
  async set(account: string, password: string, servers: readonly string[]): Promise<void> {
    this.passwords.set(account, { password, servers: [...new Set(servers)] });
  }
  async bind(account: string, servers: readonly string[]): Promise<boolean> {
    const entry = this.passwords.get(account);
    if (!entry) return false;
    this.passwords.set(account, { password: entry.password, servers: [...new Set(servers)] });
    return true;
  }
  async forget(account: string): Promise<boolean> {
    return this.passwords.delete(account);
  }
  known(): string[] {
    return [...this.passwords.keys()];
  }
  /** Every password with its servers (a copy, so a later change does not affect the caller). */
  snapshot(): Map<string, StoredPassword> {
    return new Map(
      [...this.passwords].map(([account, entry]) => [
        account,
        { password: entry.password, servers: [...entry.servers] },
      ]),
    );
  }
}
