// The report command: a saved run (or a comparison of two) written as HTML or PDF, where the user asked, into the
// workspace's reports folder, or where the desktop app's save dialog points.
import path from 'node:path';
import { compareReportHtml, runReportHtml } from '../report/htmlReport.js';
import { htmlToPdfBytes } from '../report/pdf.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import type { Handlers } from './dispatch.js';
import { readRunOrFail } from './runService.js';
import type { ServiceOptions } from './service.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type ReportHandlers = Pick<Handlers, 'exportReport'>;

export function reportHandlers(
  access: WorkspaceAccess,
  { dialogs, printPdf }: Pick<ServiceOptions, 'dialogs' | 'printPdf'>,
): ReportHandlers {
  return {
    async exportReport({ runFile, format, compareWith, path: requested }) {
      // Where the report may go is checked before anything is read.
      const target = requested ? await access.allowed(requested, [`.${format}`]) : undefined;
      const folder =
        requested || dialogs ? undefined : await access.allowedFolder(path.join(access.workspace, 'reports'));
      const run = await readRunOrFail(await access.allowed(runFile));
      const earlier = compareWith ? await readRunOrFail(await access.allowed(compareWith)) : undefined;
      const name = `${fileNamePart(run.planName)}-${run.startedAt.replace(/[:.]/g, '-')}${earlier ? '-compared' : ''}.${format}`;
      let file: string;
      if (target) file = target;
      else if (folder) file = path.join(folder, name);
      else {
        const chosen = await dialogs!.saveReport(name, format);
        if (!chosen) return null;
        file = path.resolve(chosen);
      }
      const expanded = format === 'pdf';
      const html = earlier
        ? await compareReportHtml(earlier, run, { expanded })
        : await runReportHtml(run, { expanded });
      await writeFileAtomic(file, format === 'html' ? html : await (printPdf ?? htmlToPdfBytes)(html));
      return { path: file };
    },
  };
}

/** A plan name made safe as part of a file name. */
function fileNamePart(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'plan';
}
