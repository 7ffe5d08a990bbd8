// Whether a path stays inside a folder once every symbolic link on its way is followed. A lexical check alone
// ("starts with the workspace") lets a link inside the workspace (a plan, a runs folder, a reports folder, e.g.
// from a cloned repository) read or write anywhere the user can.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export function isWithin(folder: string, file: string): boolean {
  return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`);
}

/**
 * `target` with every symbolic link resolved: the real path of the file, or for a file still to be written the
 * real path of its nearest existing folder with the rest appended. Throws for a link that points nowhere (what it
 * leads to is decided by whoever creates that later), for link loops and for unreadable folders.
 */
export async function realTarget(target: string): Promise<string> {
  const rest: string[] = [];
  let existing = path.resolve(target);
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const dangling = await fs.lstat(existing).then(
        () => true,
        () => false,
      );
      if (dangling) throw new Error(`${existing} is a symbolic link to nothing`, { cause: error });
      rest.unshift(path.basename(existing));
      const parent = path.dirname(existing);
      if (parent === existing) return path.join(existing, ...rest);
      existing = parent;
    }
  }
}

/**
 * True when `target` lies in `root` both as written and with every link resolved. `followRoot`: whether `root`
 * itself may be a link (the workspace the user named may be; a plan's runs folder may not).
 */
export async function staysWithin(root: string, target: string, options: { followRoot: boolean }): Promise<boolean> {
  const folder = path.resolve(root);
  const file = path.resolve(target);
  if (!isWithin(folder, file)) return false;
  try {
    const realFolder = options.followRoot
      ? await realTarget(folder)
      : path.join(await realTarget(path.dirname(folder)), path.basename(folder));
    return isWithin(realFolder, await realTarget(file));
  } catch {
    return false;
  }
}
