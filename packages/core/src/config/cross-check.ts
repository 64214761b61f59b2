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
    checkTo(r['to'], at('to'), result, context);
    const min = amount().safeParse(r['minUsd']);
    const max = amount().safeParse(r['maxUsd']);
    if (min.success && max.success && min.data > max.data) {
      issue(result, context, at('maxUsd'), `maxUsd (${String(r['maxUsd'])}) is below minUsd (${String(r['minUsd'])}), so this rule can never match`, 'swap the two values, or remove maxUsd');
    }
  });
  return result;
}

function checkTo(to: unknown, path: PathSegment[], result: CrossCheckResult, context: CrossCheckContext): void {
  if (Array.isArray(to) && to.length === 0) {
    const where = location(context, path);
    result.warnings.push(`${where}${formatPath(path)} is empty: the events this rule owns are not sent anywhere`);
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
