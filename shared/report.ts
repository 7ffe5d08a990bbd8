// What the report renderer offers: built from the app's React components into dist/report/renderReport.js and
// loaded by main (CLI, host and desktop app alike). Output is one self-contained HTML file without scripts.
import type { Comparison } from './compare.js';
import type { RunRecord } from './run.js';

export interface ReportOptions {
  generatedAt: string;
  /** Transcripts open (for print and PDF) rather than collapsed. */
  expanded?: boolean;
}

export interface ReportRenderer {
  renderRunReport(run: RunRecord, options: ReportOptions): string;
  renderCompareReport(before: RunRecord, after: RunRecord, comparison: Comparison, options: ReportOptions): string;
}

/** The report page's policy: no script of any kind, styles only from the page itself. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
