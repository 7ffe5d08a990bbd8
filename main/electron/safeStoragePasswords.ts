// Passwords in the desktop app: encrypted with Electron safeStorage (the OS keychain, DPAPI, or the Secret
// Service) and kept in a file readable by the user only. On Linux with only the `basic_text` backend the
// "encryption" is a fixed key, so nothing is persisted: passwords stay in memory and the user is told why.
import { promises as fs } from 'node:fs';
import type { SafeStorage } from 'electron';
import type { PasswordStorage } from '../../shared/ipc.js';
import { MemoryPasswordStore, type PasswordStore } from '../api/passwordStore.js';
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
    let stored: Record<string, string> = {};
    try {
      stored = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return; // no file yet
    }
    for (const [account, encrypted] of Object.entries(stored)) {
      try {
        await this.memory.set(account, this.safeStorage.decryptString(Buffer.from(encrypted, 'base64')));
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
  async set(account: string, password: string) {
    await this.memory.set(account, password);
    await this.persist();
  }
  async forget(account: string) {
    const forgotten = await this.memory.forget(account);
    await this.persist();
    return forgotten;
  }

  private async persist(): Promise<void> {
    const encrypted: Record<string, string> = {};
    for (const [account, password] of this.memory.snapshot()) {
      encrypted[account] = this.safeStorage.encryptString(password).toString('base64');
    }
    await writeJsonAtomic(this.file, encrypted, 0o600);
  }
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
