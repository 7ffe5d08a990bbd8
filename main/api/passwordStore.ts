// Where the app keeps passwords between entering them and running. The default keeps them in memory only, for
// this session; the desktop app swaps in an Electron safeStorage store when the OS offers a real keyring.
import type { PasswordStorage } from '../../shared/ipc.js';

export interface PasswordStore {
  readonly storage: PasswordStorage;
  get(account: string): string | undefined;
  set(account: string, password: string): Promise<void>;
  forget(account: string): Promise<boolean>;
  known(): string[];
}

export class MemoryPasswordStore implements PasswordStore {
  private readonly passwords = new Map<string, string>();
  constructor(readonly storage: PasswordStorage = { kind: 'memory', note: 'Passwords are kept in memory for this session only.' }) {}
  get(account: string): string | undefined {
    return this.passwords.get(account);
  }
  async set(account: string, password: string): Promise<void> {
    this.passwords.set(account, password);
  }
  async forget(account: string): Promise<boolean> {
    return this.passwords.delete(account);
  }
  known(): string[] {
    return [...this.passwords.keys()];
  }
  /** Every password, for a run (a copy, so a change during the run does not affect it). */
  snapshot(): Map<string, string> {
    return new Map(this.passwords);
  }
}
