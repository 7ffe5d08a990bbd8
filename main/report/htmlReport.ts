// Reports as files: the HTML from the report bundle (the app's React components, rendered in Node) and, on
// request, its PDF. Every face (CLI, browser host, desktop app) writes reports through here.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareRuns } from '../../shared/compare.js';
import type { ReportRenderer } from '../../shared/report.js';
import type { RunRecord } from '../../shared/run.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { projectRoot } from '../version.js';

let loaded: Promise<ReportRenderer> | undefined;

/** The report renderer built by `npm run build` into dist/report. */
export function reportRenderer(): Promise<ReportRenderer> {
  loaded ??= import(pathToFileURL(path.join(projectRoot(), 'dist', 'report', 'renderReport.js')).href).then(
    (module: { renderer: ReportRenderer }) => module.renderer,
    (error: Error) => {
      loaded = undefined;
      throw new Error(`the report renderer is not built (run npm run build): ${error.message}`);
    },
  );
  return loaded;
}

export async function runReportHtml(run: RunRecord, options: { expanded?: boolean } = {}): Promise<string> {
  return (await reportRenderer()).renderRunReport(run, { generatedAt: new Date().toISOString(), ...options });
}

export async function compareReportHtml(
  before: RunRecord,
  after: RunRecord,
  options: { expanded?: boolean } = {},
): Promise<string> {
  return (await reportRenderer()).renderCompareReport(before, after, compareRuns(before, after), {
    generatedAt: new Date().toISOString(),
    ...options,
  });
}

export async function writeHtml(file: string, html: string): Promise<void> {
  await writeFileAtomic(file, html);
}
