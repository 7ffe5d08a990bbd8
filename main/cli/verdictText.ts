// How verdicts look in a terminal: a mark, a word and a colour, plain when output is not a TTY.
import type { Verdict } from '../../shared/verdict.js';

const MARKS: Record<Verdict, { mark: string; colour: string }> = {
  pass: { mark: 'PASS', colour: '\x1b[32m' },
  fail: { mark: 'FAIL', colour: '\x1b[1;31m' },
  'needs-review': { mark: 'NEEDS REVIEW', colour: '\x1b[1;36m' },
  inconclusive: { mark: 'INCONCLUSIVE', colour: '\x1b[33m' },
  error: { mark: 'ERROR', colour: '\x1b[35m' },
  skipped: { mark: 'SKIPPED', colour: '\x1b[2m' },
  cancelled: { mark: 'CANCELLED', colour: '\x1b[2m' },
};

export function verdictMark(verdict: Verdict, colour: boolean): string {
  const { mark, colour: sgr } = MARKS[verdict];
  const padded = mark.padEnd(12);
  return colour ? `${sgr}${padded}\x1b[0m` : padded;
}

export function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}
