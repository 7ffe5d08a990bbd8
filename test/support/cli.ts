// Runs the built `relay-tester` command (or another program) as a user would: to the end, capturing its output
// and exit status, or as a long-running process (`relay-tester ui`) whose ready line a test waits for.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './testbed.js';

/** The address `relay-tester ui` prints once it listens, sign-in code included. */
export const UI_ADDRESS = /http:\/\/127\.0\.0\.1:\d+\/\?code=\S+/;

const CLI = path.join(ROOT, 'bin/relay-tester.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd: string;
  /** The child's whole environment (nothing of this process's is added). */
  env: NodeJS.ProcessEnv;
}

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment, after NO_COLOR=1. */
  env?: NodeJS.ProcessEnv;
}

function cliProcess(options: CliOptions): ProcessOptions {
  return { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } };
}

/** Runs a program to its end and resolves with its exit status and everything it wrote. */
export function runProcess(command: string, args: string[], options: ProcessOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function relayTester(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [CLI, ...args], cliProcess(options));
}

/** A program left running, e.g. `relay-tester ui`. */
export interface RunningProcess {
  child: ChildProcess;
  /** What it wrote so far (the last megabyte), stdout and stderr interleaved as they came. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects if it exits or stays silent first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends it with SIGTERM and waits until it has exited (at once if it already has). */
  stop(): Promise<void>;
}

export function startProcess(command: string, args: string[], options: ProcessOptions): RunningProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const name = [path.basename(command), ...args].join(' ');
  let output = '';
  // The last megabyte is plenty for the ready line and any message a test looks for, even under a fuzzer.
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-1_000_000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) finish(() => resolve(match[0]));
        };
        const onExit = (status: number | null) =>
          finish(() => reject(new Error(`${name} exited with ${status}:\n${output}`)));
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${name} did not print ${pattern} in time:\n${output}`))),
          timeoutMs,
        );
        function finish(settle: () => void): void {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.stderr.off('data', check);
          child.off('exit', onExit);
          settle();
        }
        // Listeners added after `collect`, so `output` already holds the chunk they see.
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.once('exit', onExit);
        if (!running()) onExit(child.exitCode);
        else check();
      });
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts the built CLI and leaves it running. */
export function startCli(args: string[], options: CliOptions = {}): RunningProcess {
  return startProcess(process.execPath, [CLI, ...args], cliProcess(options));
}

/** A fresh temporary folder for one test. */
export function temporaryFolder(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-test-'));
}

/** Writes a secrets file readable by its owner only. */
export async function writeSecrets(
  folder: string,
  secrets: ReadonlyMap<string, string>,
  mode = 0o600,
): Promise<string> {
  const file = path.join(folder, 'secrets.json');
  await fs.writeFile(file, JSON.stringify(Object.fromEntries(secrets)), { mode });
  await fs.chmod(file, mode);
  return file;
}
