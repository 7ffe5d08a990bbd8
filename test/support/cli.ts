// Runs the built `relay-tester` command as a user would, capturing its output and exit status.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './testbed.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function relayTester(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/relay-tester.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A fresh temporary folder for one test. */
export function temporaryFolder(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-test-'));
}

/** Writes a secrets file readable by its owner only. */
export async function writeSecrets(folder: string, secrets: ReadonlyMap<string, string>, mode = 0o600): Promise<string> {
  const file = path.join(folder, 'secrets.json');
  await fs.writeFile(file, JSON.stringify(Object.fromEntries(secrets)), { mode });
  await fs.chmod(file, mode);
  return file;
}
