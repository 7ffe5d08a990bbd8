// Files are replaced, never rewritten in place: write a temporary file beside the target, flush it, rename it
// over the target. A crash or kill at any point leaves either the old file or the new one (docs/reliability.md §22).
// Everything the tool writes (plans, runs, JUnit, reports) tells about a mail server's weak points: files are
// made readable by their owner only (0600), folders the tool creates likewise (0700).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const FILE_MODE = 0o600;
export const FOLDER_MODE = 0o700;

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = FILE_MODE): Promise<void> {
  const folder = path.dirname(target);
  await fs.mkdir(folder, { recursive: true, mode: FOLDER_MODE });
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode); // the mode given to open() is narrowed by the umask, never widened; this is exact
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(target: string, value: unknown, mode?: number): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/**
 * Writes a new file atomically, never over an existing one: the temporary file is hard-linked to the target, which
 * fails when the target exists (even if it appeared a moment ago). False when `target` exists.
 */
export async function writeNewFileAtomic(
  target: string,
  data: string | Uint8Array,
  mode = FILE_MODE,
): Promise<boolean> {
  const folder = path.dirname(target);
  await fs.mkdir(folder, { recursive: true, mode: FOLDER_MODE });
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temporary, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}
