// The one rule for which files the service may touch, shared by every part of it: inside the workspace folder,
// or a file the user picked in a dialog, or inside such a plan's runs folder; never through a symbolic link that
// leads out (issue 10).
import path from 'node:path';
import { staysWithin } from '../store/workspacePath.js';
import { defaultRunFolder } from '../store/runFile.js';
import { ApiFailure } from './dispatch.js';

export interface WorkspaceAccess {
  /** The workspace folder, resolved. */
  readonly workspace: string;
  /** `file` resolved against the workspace, if it may be used (and has one of `extensions`, unless null). */
  allowed(file: string, extensions?: readonly string[] | null): Promise<string>;
  /** A folder the service writes into or lists (runs, reports), under the same rule as files. */
  allowedFolder(folder: string): Promise<string>;
  /** Where the runs of a plan go: beside its file, or the workspace's `runs` folder for an unsaved plan. */
  runFolder(planPath: string | undefined): Promise<string>;
  /** A file the user chose through a dialog (or the desktop app's recent plans menu). */
  grant(file: string): void;
}

export function createWorkspaceAccess(folder: string): WorkspaceAccess {
  const workspace = path.resolve(folder);
  const granted = new Set<string>();

  async function allowed(file: string, extensions: readonly string[] | null = ['.json']): Promise<string> {
    const resolved = path.resolve(workspace, file);
    if (extensions && !extensions.includes(path.extname(resolved))) {
      throw new ApiFailure('forbidden', `${file}: only ${extensions.join(' or ')} files may be used here`);
    }
    if (granted.has(resolved)) return resolved;
    if (await staysWithin(workspace, resolved, { followRoot: true })) return resolved;
    for (const plan of granted) {
      if (await staysWithin(defaultRunFolder(plan), resolved, { followRoot: false })) return resolved;
    }
    throw new ApiFailure(
      'forbidden',
      `${file} is outside the workspace ${workspace} (or a symbolic link leads out of it); open it with the file dialog`,
    );
  }

  function allowedFolder(folder: string): Promise<string> {
    return allowed(folder, null);
  }

  return {
    workspace,
    allowed,
    allowedFolder,
    async runFolder(planPath) {
      return allowedFolder(planPath ? defaultRunFolder(await allowed(planPath)) : path.join(workspace, 'runs'));
    },
    grant(file) {
      granted.add(path.resolve(file));
    },
  };
}
