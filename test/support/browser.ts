// Debian's Chromium for the UI, report and host tests: headless, and with the background services that would
// reach out to the network (component updates, sync, field trials) turned off, on this machine's closed network.
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './testbed.js';

/** Where the tests keep the screenshots a reviewer looks at (CI keeps test-artifacts/). */
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
