// A run as a matrix for the terminal: one row per case subject (source and recipient, account, banner), one column
// per server, each cell the verdict and what the policy expected. Pure: takes the run, returns the text, with every
// name made visible (the only escape sequences in it are its own colours).
import type { RunRecord } from '../../shared/run.js';
import { ensureVisible } from '../../shared/text.js';
import type { Verdict } from '../../shared/verdict.js';

const COLOURS: Record<Verdict, string> = {
  pass: '\x1b[32m',
  fail: '\x1b[1;31m',
  'needs-review': '\x1b[1;36m',
  inconclusive: '\x1b[33m',
  error: '\x1b[35m',
  skipped: '\x1b[2m',
  cancelled: '\x1b[2m',
};

/** The part of a case id after the server's slug, e.g. "from-127.0.0.5/to-external". */
function subjectOf(caseId: string): string {
  const slash = caseId.indexOf('/');
  return slash < 0 ? caseId : caseId.slice(slash + 1);
}

export function matrixText(run: Pick<RunRecord, 'cases' | 'plan'>, colour = false): string {
  const servers = run.plan.servers.map((server) => ensureVisible(server.name));
  const rows: string[] = [];
  const cells = new Map<string, { text: string; verdict: Verdict }>();
  for (const result of run.cases) {
    const subject = ensureVisible(subjectOf(result.case.id));
    if (!rows.includes(subject)) rows.push(subject);
    cells.set(`${subject}\n${ensureVisible(result.case.server)}`, {
      text: ensureVisible(`${result.verdict.toUpperCase()} (${result.case.expect})`),
      verdict: result.verdict,
    });
  }
  const firstWidth = Math.max('case'.length, ...rows.map((row) => row.length));
  const widths = servers.map((server) =>
    Math.max(server.length, ...rows.map((row) => cells.get(`${row}\n${server}`)?.text.length ?? 1)),
  );
  const line = (first: string, columns: { text: string; verdict?: Verdict }[]) =>
    [
      first.padEnd(firstWidth),
      ...columns.map((column, index) => {
        const padded = column.text.padEnd(widths[index] ?? 0);
        return colour && column.verdict ? `${COLOURS[column.verdict]}${padded}\x1b[0m` : padded;
      }),
    ]
      .join('  ')
      .trimEnd();
  const out = [
    line(
      'case',
      servers.map((text) => ({ text })),
    ),
  ];
  out.push(
    line(
      '-'.repeat(firstWidth),
      widths.map((width) => ({ text: '-'.repeat(width) })),
    ),
  );
  // The address tricks are a block of their own, after every other case.
  const isTrick = (row: string) => row.startsWith('trick/') || row.startsWith('trick-as-');
  for (const row of rows.filter((row) => !isTrick(row))) {
    out.push(
      line(
        row,
        servers.map((server) => cells.get(`${row}\n${server}`) ?? { text: '-' }),
      ),
    );
  }
  const tricks = rows.filter(isTrick);
  if (tricks.length > 0)
    out.push('', 'address tricks (docs/address-tricks.md): refused passes; accepted needs review or fails');
  for (const row of tricks) {
    out.push(
      line(
        row,
        servers.map((server) => cells.get(`${row}\n${server}`) ?? { text: '-' }),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
