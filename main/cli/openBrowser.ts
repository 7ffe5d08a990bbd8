// Opens the user's browser on the host's address. What goes to the child is visible to others: its arguments to
// every user on the machine (`ps`, /proc/PID/cmdline), its environment to whatever it starts. So the address
// carries only the one-time code (burnt when the page opens), and the environment loses the tool's secrets.
import { spawn } from 'node:child_process';
import { childEnvironment } from '../childEnvironment.js';

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
