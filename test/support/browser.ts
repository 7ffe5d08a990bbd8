// Debian's Chromium for the UI, report and host tests: headless, and with the background services that would
// reach out to the network (component updates, sync, field trials) turned off, on this machine's closed network.
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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

export interface AppPageOptions {
  viewport: { width: number; height: number };
  /** Browser permissions the page is granted, e.g. clipboard or notifications. */
  permissions?: string[];
}

/**
 * A page of the app at `url` (from `relay-tester ui`) in a light context of its own, the matrix shown as its list
 * (one row per case, which most UI tests read; the grid has its own tests), every page error and console error
 * collected into `problems`, and the matrix on screen.
 */
export async function openAppPage(
  browser: Browser,
  url: string,
  problems: string[],
  options: AppPageOptions,
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport, colorScheme: 'light' });
  if (options.permissions) await context.grantPermissions(options.permissions, { origin: new URL(url).origin });
  const page = await context.newPage();
  await page.addInitScript(() => window.localStorage.setItem('relayTester.matrixView', 'list'));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.getByRole('table', { name: 'Test matrix' }).waitFor();
  return page;
}
