// Passwords in the desktop app: encrypted with Electron safeStorage (the OS keychain, DPAPI, or the Secret
// Service) and kept in a file readable by the user only. On Linux with only the `basic_text` backend the
// "encryption" is a fixed key, so nothing is persisted: passwords stay in memory and the user is told why.
// Each entry is the password with the servers it is bound to, encrypted together, so the binding cannot be
// widened by editing the file without the keychain. A file from before bindings keeps its passwords bound to no
// server: the user is asked before the first use.
import { promises as fs } from 'node:fs';
import type { SafeStorage } from 'electron';
import type { PasswordStorage } from '../../shared/ipc.js';
import { MemoryPasswordStore, type PasswordStore, type StoredPassword } from '../api/passwordStore.js';
import { writeJsonAtomic } from '../store/atomicFile.js';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string;
};

export function isWeakBackend(safeStorage: SafeStorageLike, platform = process.platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return true;
  return platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
}

class SafeStoragePasswordStore implements PasswordStore {
  readonly storage: PasswordStorage = {
    kind: 'safe-storage',
    note: 'Passwords are encrypted with the operating system keychain and kept between sessions.',
  };
  private readonly memory = new MemoryPasswordStore();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly file: string,
  ) {}

  async load(): Promise<void> {
    let stored: unknown;
    try {
      stored = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return; // no file yet
    }
    if (!stored || typeof stored !== 'object') return;
    const bound = (stored as { relayTesterPasswords?: unknown }).relayTesterPasswords === FORMAT;
    const entries = bound ? (stored as { accounts?: unknown }).accounts : stored;
    if (!entries || typeof entries !== 'object') return;
    for (const [account, encrypted] of Object.entries(entries as Record<string, unknown>)) {
      try {
        if (typeof encrypted !== 'string') continue;
        const text = this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
        const entry = bound ? storedEntry(JSON.parse(text)) : { password: text, servers: [] };
        if (entry) await this.memory.set(account, entry.password, entry.servers);
      } catch {
        // An entry the keychain can no longer decrypt is dropped; the user is asked again.
      }
    }
  }

  get(account: string) {
    return this.memory.get(account);
  }
  known() {
    return this.memory.known();
  }
  async set(account: string, password: string, servers: readonly string[]) {
    await this.memory.set(account, password, servers);
    await this.persist();
  }
  async bind(account: string, servers: readonly string[]) {
    const bound = await this.memory.bind(account, servers);
    if (bound) await this.persist();
    return bound;
  }
  async forget(account: string) {
    const forgotten = await this.memory.forget(account);
    await this.persist();
    return forgotten;
  }

  private async persist(): Promise<void> {
    const accounts: Record<string, string> = {};
    for (const [account, entry] of this.memory.snapshot()) {
      accounts[account] = this.safeStorage.encryptString(JSON.stringify(entry)).toString('base64');
    }
    await writeJsonAtomic(this.file, { relayTesterPasswords: FORMAT, accounts }, 0o600);
  }
}

const FORMAT = 2;

function storedEntry(value: unknown): StoredPassword | undefined {
  const entry = value as Partial<StoredPassword> | undefined;
  if (typeof entry?.password !== 'string' || !Array.isArray(entry.servers)) return undefined;
  return {
    password: entry.password,
    servers: entry.servers.filter((server): server is string => typeof server === 'string'),
  };
}

export async function createDesktopPasswordStore(safeStorage: SafeStorageLike, file: string): Promise<PasswordStore> {
  if (isWeakBackend(safeStorage)) {
    return new MemoryPasswordStore({
      kind: 'memory',
      note: 'No secure keyring is available (Electron safeStorage would only obfuscate), so passwords are kept in memory for this session and never written to disk.',
    });
  }
  const store = new SafeStoragePasswordStore(safeStorage, file);
  await store.load();
  return store;
}
