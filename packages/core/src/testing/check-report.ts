/**
 * A printable report of named checks, shared by the golden check, the conformance kit and
 * `liqmon check-plugin`: one line per check (✓ held, ✗ failed, - skipped) and, under a failed or
 * skipped one, its detail lines.
 */

/** The outcome of one check. */
export interface CheckResult {
  /** What was checked, in a few words. */
  name: string;
  /** `pass`: it holds; `fail`: it does not; `skip`: it could not run here (the details say why). */
  status: 'pass' | 'fail' | 'skip';
  /** Why it failed or was skipped (diff lines, error messages); may be empty for a pass. */
  details: string[];
}

/** Most detail lines printed under one check; the rest are counted. */
export const MAX_DETAIL_LINES = 30;

const MARK = { pass: '✓', fail: '✗', skip: '-' } as const;

/** The report text: a line per check, details indented under it. Ends with a newline. */
export function formatCheckResults(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${MARK[result.status]} ${result.name}`);
    if (result.status === 'pass') continue;
    for (const detail of result.details.slice(0, MAX_DETAIL_LINES)) lines.push(`    ${detail}`);
    if (result.details.length > MAX_DETAIL_LINES) lines.push(`    ... and ${result.details.length - MAX_DETAIL_LINES} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** True when no check failed (skipped checks do not fail a report). */
export function allHold(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.status !== 'fail');
}

/** The message of anything thrown, for a detail line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
