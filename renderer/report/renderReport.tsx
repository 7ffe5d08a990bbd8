// Entry of the report bundle (dist/report/renderReport.js): React renders the report components to one static
// HTML string in Node, with the stylesheet inlined, for the CLI, the browser host and the desktop app.
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReportRenderer } from '../../shared/report.js';
import { CompareReport } from './CompareReport.js';
import styles from './report.css?raw';
import { RunReport } from './RunReport.js';

export const renderer: ReportRenderer = {
  renderRunReport(run, options) {
    return `<!doctype html>\n${renderToStaticMarkup(<RunReport run={run} options={options} styles={styles} />)}\n`;
  },
  renderCompareReport(before, after, comparison, options) {
    return `<!doctype html>\n${renderToStaticMarkup(
      <CompareReport before={before} after={after} comparison={comparison} options={options} styles={styles} />,
    )}\n`;
  },
};
