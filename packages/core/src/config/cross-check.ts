/**
 * Checks that span several keys, which no single schema can see: rule `to:` names defined sinks, rule
 * names are unique, `minUsd <= maxUsd`. Reads the raw rules so that a rule with an unrelated mistake
 * is still checked (every problem is reported in one go).
 */
import type { ConfigIssue } from '../errors.js';
import type { ConfigDocument } from './document.js';
import { formatPath, type PathSegment } from './paths.js';
import { suggestion } from './suggest.js';
import { amount } from './units.js';

export interface CrossCheckContext {
  document: ConfigDocument;
  file: string | undefined;
  /** Names defined under `sinks:`. */
  sinkNames: readonly string[];
}

export interface CrossCheckResult {
  issues: ConfigIssue[];
  warnings: string[];
}

/** Runs every cross-check on the raw `rules:` value. */
export function crossCheckRules(rawRules: unknown, context: CrossCheckContext): CrossCheckResult {
  const result: CrossCheckResult = { issues: [], warnings: [] };
  if (!Array.isArray(rawRules)) return result;
  const firstByName = new Map<string, number>();
  rawRules.forEach((rule: unknown, index) => {
    if (typeof rule !== 'object' || rule === null) return;
    const r = rule as Record<string, unknown>;
    const at = (...rest: PathSegment[]) => ['rules', index, ...rest];
    if (typeof r['name'] === 'string') {
      const first = firstByName.get(r['name']);
      if (first === undefined) firstByName.set(r['name'], index);
      else issue(result, context, at('name'), `rule name \`${r['name']}\` is already used by rules[${first}]`, 'give each rule its own name; names appear in alerts and logs');
    }
    checkTo(r['to'], at('to'), result, context, r['summary'] !== undefined && r['summary'] !== null);
    if (r['summary'] !== undefined && r['summary'] !== null) checkSummary(r, at, result, context);
    const min = amount().safeParse(r['minUsd']);
    const max = amount().safeParse(r['maxUsd']);
    if (min.success && max.success && min.data > max.data) {
      issue(result, context, at('maxUsd'), `maxUsd (${String(r['maxUsd'])}) is below minUsd (${String(r['minUsd'])}), so this rule can never match`, 'swap the two values, or remove maxUsd');
    }
  });
  return result;
}

/**
 * A summary rule sends a period's statistics of the events its `match` and `minUsd` select; steps that
 * shape per-event alerts make no sense on it.
 */
function checkSummary(rule: Record<string, unknown>, at: (...rest: PathSegment[]) => PathSegment[], result: CrossCheckResult, context: CrossCheckContext): void {
  const name = typeof rule['name'] === 'string' ? `\`${rule['name']}\`` : 'this rule';
  const problems: [string, string, string][] = [
    ['aggregate', `rule ${name} has both \`summary\` and \`aggregate\`: a summary sends the statistics of a period, not cascade alerts`, 'split it into two rules, one with `summary` and one with `aggregate` (the summary rule takes no events from the other)'],
    ['cooldown', `rule ${name} has both \`summary\` and \`cooldown\`: a summary comes once a period, so there is nothing for a cooldown to hold back`, 'remove `cooldown` from the summary rule'],
    ['maxUsd', `rule ${name} has both \`summary\` and \`maxUsd\`: a summary counts every liquidation of \`minUsd\` or more`, 'remove `maxUsd`; a summary rule filters with `match` and `minUsd`'],
  ];
  for (const [key, message, hint] of problems) if (rule[key] !== undefined) issue(result, context, at(key), message, hint);
  if (rule['continue'] === true) {
    issue(result, context, at('continue'), `rule ${name} has \`summary\` and \`continue: true\`: a summary rule never owns events, so every rule below it sees them anyway`, 'remove `continue`');
  }
}

function checkTo(to: unknown, path: PathSegment[], result: CrossCheckResult, context: CrossCheckContext, summary: boolean): void {
  if (Array.isArray(to) && to.length === 0) {
    const where = location(context, path);
    const what = summary ? "this rule's summaries are" : 'the events this rule owns are';
    result.warnings.push(`${where}${formatPath(path)} is empty: ${what} not sent anywhere`);
    return;
  }
  const names: [unknown, PathSegment[]][] =
    typeof to === 'string' ? [[to, path]] : Array.isArray(to) ? to.map((n: unknown, i) => [n, [...path, i]]) : [];
  for (const [name, at] of names) {
    if (typeof name !== 'string' || context.sinkNames.includes(name)) continue;
    const hint = context.sinkNames.length === 0
      ? 'define it under `sinks:` first'
      : (suggestion(name, context.sinkNames, 'sinks defined') ?? 'define it under `sinks:`');
    issue(result, context, at, `\`${name}\` is not a sink defined under \`sinks:\``, hint);
  }
}

function issue(result: CrossCheckResult, context: CrossCheckContext, path: PathSegment[], message: string, hint: string): void {
  const position = context.document.locate(path);
  result.issues.push({
    path: formatPath(path),
    message,
    hint,
    ...(context.file ? { file: context.file } : {}),
    ...(position ?? {}),
  });
}

function location(context: CrossCheckContext, path: PathSegment[]): string {
  const position = context.document.locate(path);
  if (!context.file) return '';
  return position ? `${context.file}:${position.line}:${position.column} ` : `${context.file} `;
}
