// The report command: a saved run (or a comparison of two) written as HTML or PDF, where the user asked, into the
// workspace's reports folder, or where the desktop app's save dialog points.
import path from 'node:path';
import { compareReportHtml, runReportHtml } from '../report/htmlReport.js';
import { htmlToPdfBytes } from '../report/pdf.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import type { RunRecord } from '../../shared/run.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import { readRunOrFail } from './runService.js';
import type { ServiceOptions } from './service.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type ReportHandlers = Pick<Handlers, 'exportReport' | 'downloadReport' | 'revealFile'>;

const MEDIA_TYPES = { html: 'text/html', pdf: 'application/pdf' } as const;

export function reportHandlers(
  access: WorkspaceAccess,
  { dialogs, printPdf, reveal }: Pick<ServiceOptions, 'dialogs' | 'printPdf' | 'reveal'>,
): ReportHandlers {
  /** The report's bytes: HTML as written, or printed to PDF (expanded, since paper cannot unfold a transcript). */
  async function reportBytes(run: RunRecord, earlier: RunRecord | undefined, format: 'html' | 'pdf') {
    const expanded = format === 'pdf';
    const html = earlier ? await compareReportHtml(earlier, run, { expanded }) : await runReportHtml(run, { expanded });
    return format === 'html' ? html : await (printPdf ?? htmlToPdfBytes)(html);
  }

  return {
    async downloadReport({ runFile, format, compareWith }) {
      const run = await readRunOrFail(await access.allowed(runFile));
      const earlier = compareWith ? await readRunOrFail(await access.allowed(compareWith)) : undefined;
      const bytes = await reportBytes(run, earlier, format);
      return {
        fileName: reportFileName(run, earlier, format),
        mimeType: MEDIA_TYPES[format],
        base64: Buffer.from(bytes).toString('base64'),
      };
    },
    async revealFile({ path: requested }) {
      if (!reveal) throw new ApiFailure('invalid-request', 'showing a file in its folder needs the desktop app');
      reveal(await access.allowed(requested, ['.html', '.pdf', '.json']));
      return { shown: true };
    },
    async exportReport({ runFile, format, compareWith, path: requested }) {
      // Where the report may go is checked before anything is read.
      const target = requested ? await access.allowed(requested, [`.${format}`]) : undefined;
      const folder =
        requested || dialogs ? undefined : await access.allowedFolder(path.join(access.workspace, 'reports'));
      const run = await readRunOrFail(await access.allowed(runFile));
      const earlier = compareWith ? await readRunOrFail(await access.allowed(compareWith)) : undefined;
      const name = reportFileName(run, earlier, format);
      let file: string;
      if (target) file = target;
      else if (folder) file = path.join(folder, name);
      else {
        const chosen = await dialogs!.saveReport(name, format);
        if (!chosen) return null;
        file = path.resolve(chosen);
        // The user pointed the dialog here: "Show in folder" may reveal it.
        access.grant(file);
      }
      await writeFileAtomic(file, await reportBytes(run, earlier, format));
      return { path: file };
    },
  };
}

function reportFileName(run: RunRecord, earlier: RunRecord | undefined, format: 'html' | 'pdf'): string {
  return `${fileNamePart(run.planName)}-${run.startedAt.replace(/[:.]/g, '-')}${earlier ? '-compared' : ''}.${format}`;
}

/** A plan name made safe as part of a file name. */
function fileNamePart(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'plan';
}
