// Entry of the report bundle (dist/report/renderReport.js): React renders the report components to one static
// HTML string in Node, with the stylesheet inlined, for the CLI, the browser host and the desktop app.
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReportRenderer } from '../../shared/report.js';
import { ensureVisibleDeep } from '../../shared/text.js';
import { CompareReport } from './CompareReport.js';
import styles from './report.css?raw';
import { RunReport } from './RunReport.js';

// Runs read from files are made visible when loaded; this is the last guard for a run handed over any other way,
// so no control or bidi character reaches the page or the PDF made from it.
export const renderer: ReportRenderer = {
  renderRunReport(run, options) {
    const shown = ensureVisibleDeep(run);
    return `<!doctype html>\n${renderToStaticMarkup(<RunReport run={shown} options={options} styles={styles} />)}\n`;
  },
  renderCompareReport(before, after, comparison, options) {
    return `<!doctype html>\n${renderToStaticMarkup(
      <CompareReport
        before={ensureVisibleDeep(before)}
        after={ensureVisibleDeep(after)}
        comparison={ensureVisibleDeep(comparison)}
        options={options}
        styles={styles}
      />,
    )}\n`;
  },
};
