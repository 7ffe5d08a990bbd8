// `relay-tester report RUN.json --html OUT.html [--pdf OUT.pdf] [--compare BEFORE.json]`: the evidence a reviewer
// reads without the app.
import { print, terminal } from './output.js';
import { parseArgs } from 'node:util';
import { compareReportHtml, runReportHtml, writeHtml } from '../report/htmlReport.js';
import { htmlToPdf, PdfError } from '../report/pdf.js';
import { readRunFile, RunFileError } from '../store/runFile.js';
import { REPORT_USAGE } from './usage.js';
import { UsageError } from './usageError.js';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { html: { type: 'string' }, pdf: { type: 'string' }, compare: { type: 'string' } },
  });
  const [runFile] = positionals;
  if (!runFile || positionals.length > 1 || (!values.html && !values.pdf))
    throw new UsageError(`usage: ${REPORT_USAGE}`);
  let run, before;
  try {
    run = await readRunFile(runFile);
    before = values.compare ? await readRunFile(values.compare) : undefined;
  } catch (error) {
    if (error instanceof RunFileError) throw new UsageError(error.message);
    throw error;
  }
  const render = (expanded: boolean) =>
    before ? compareReportHtml(before, run, { expanded }) : runReportHtml(run, { expanded });
  if (values.html) {
    await writeHtml(values.html, await render(false));
    print(terminal`HTML report written to ${values.html}\n`);
  }
  if (values.pdf) {
    try {
      await htmlToPdf(await render(true), values.pdf);
    } catch (error) {
      if (error instanceof PdfError) throw new UsageError(error.message);
      throw error;
    }
    print(terminal`PDF report written to ${values.pdf}\n`);
  }
  return 0;
}
