// PDF of a report through Chromium's own print path: headless Chromium on the command line (the desktop app
// uses Electron's printToPDF instead). The report has no scripts and no external assets, so nothing is fetched.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnvironment } from '../childEnvironment.js';
import { writeFileAtomic } from '../store/atomicFile.js';

const run = promisify(execFile);

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export class PdfError extends Error {}

export function findChromium(environment = process.env): string {
  const configured = environment.RELAY_TESTER_CHROMIUM;
  if (configured) {
    if (!existsSync(configured))
      throw new PdfError(`RELAY_TESTER_CHROMIUM points to ${configured}, which does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new PdfError(
      'no Chromium or Chrome found for the PDF: install chromium (Debian: apt install chromium) or set RELAY_TESTER_CHROMIUM',
    );
  }
  return found;
}

/** Prints `html` to the PDF file `out`. */
export async function htmlToPdf(html: string, out: string): Promise<void> {
  await writeFileAtomic(out, await htmlToPdfBytes(html));
}

/** Prints `html` to PDF bytes; the temporary copy of the page and the browser profile are removed. */
export async function htmlToPdfBytes(html: string): Promise<Buffer> {
  const chromium = findChromium();
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-pdf-'));
  try {
    const page = path.join(folder, 'report.html');
    await fs.writeFile(page, html);
    const temporaryPdf = path.join(folder, 'report.pdf');
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(folder, 'profile')}`,
      `--print-to-pdf=${temporaryPdf}`,
    ];
    // Chromium refuses to run as root with its sandbox; CI and containers run as root.
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    args.push(`file://${page}`);
    await run(chromium, args, { timeout: 60_000, env: childEnvironment() });
    return await fs.readFile(temporaryPdf);
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}
