// Opens the user's browser on the host's address. What goes to the child is visible to others: its arguments to
// every user on the machine (`ps`, /proc/PID/cmdline), its environment to whatever it starts. So the address
// carries only the one-time code (burnt when the page opens), and the environment loses the tool's secrets.
import { spawn } from 'node:child_process';

/** Variables that may hold a secret of this tool (passwords given through the environment). */
export function isSecretVariable(name: string): boolean {
  return /^RELAY_TESTER_PASSWORD_/i.test(name);
}

/** The parent's environment without the tool's secrets, for a child that needs the desktop session's variables. */
export function childEnvironment(environment: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !isSecretVariable(name)));
}

export function browserCommand(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
}

/** Starts the browser on `url`; says so on stdout when it cannot. */
export function openBrowser(url: string): void {
  const cannot = () => process.stdout.write('Could not open a browser; open the address above yourself.\n');
  try {
    const child = spawn(browserCommand(), [url], { stdio: 'ignore', detached: true, env: childEnvironment() });
    child.on('error', cannot);
    child.unref();
  } catch {
    cannot();
  }
}
