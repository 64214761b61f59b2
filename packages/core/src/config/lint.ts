/**
 * Lints of a valid config: rules that cannot do what their author meant. They are warnings (the config
 * runs), printed by `liqmon validate` with file:line:column; `validate --strict` fails on them.
 *
 * - a `match` value no configured source produces (`exchange: binanse`), with a did-you-mean;
 * - a rule no event reaches, below a rule that matches everything without `continue: true`;
 * - a rule whose sinks are all off;
 * - a sink no rule sends to.
 */
import type { SinkDefinition, SourceDefinition, SourceProduces } from '../plugin.js';
import type { ConfigDocument } from './document.js';
import { formatPath, type PathSegment } from './paths.js';
import type { CoreConfig, MatchConfig, RuleConfig } from './schema.js';
import { closest } from './suggest.js';
import type { PluginEntry } from './types.js';

/** What the lints read. */
export interface LintContext {
  document: ConfigDocument;
  file: string | undefined;
  core: CoreConfig;
  /** The `rules:` as written, to point at a value given as text or as a list. */
  rawRules: unknown;
  sources: readonly PluginEntry<SourceDefinition>[];
  sinks: readonly PluginEntry<SinkDefinition>[];
}

type Checked = 'exchange' | 'market' | 'source';

/** Every lint, as warning lines (`config.yaml:8:16  rules[0].match.exchange: ...`), in file order. */
export function lintConfig(context: LintContext): string[] {
  const found: { path: PathSegment[]; message: string; key?: boolean }[] = [];
  const known = knownValues(context.sources);
  const rules = context.core.rules;
  rules.forEach((rule, index) => {
    for (const [where, match] of [['match', rule.match], ['not', rule.match?.not]] as const) {
      if (!match) continue;
      const base: PathSegment[] = where === 'match' ? ['rules', index, 'match'] : ['rules', index, 'match', 'not'];
      for (const field of ['exchange', 'market', 'source'] as const) {
        for (const [value, path] of valuesWithPaths(context.rawRules, [...base, field], match[field])) {
          const problem = unknownValue(field, value, known);
          if (problem) found.push({ path, message: problem });
        }
      }
    }
  });
  found.push(...unreachableRules(rules));
  found.push(...rulesToSinksOff(rules, context.sinks));
  found.push(...unusedSinks(rules, context.sinks));
  return found
    .map((f) => ({ ...f, position: context.document.locate(f.path, { key: f.key ?? false }) }))
    .sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0))
    .map((f) => {
      const where = context.file ? `${context.file}${f.position ? `:${f.position.line}:${f.position.column}` : ''}  ` : '';
      return `${where}${formatPath(f.path)}: ${f.message}`;
    });
}

/** Values of each checked field the configured sources can produce; undefined where unknown. */
type Known = Partial<Record<Checked, Map<string, string>>>;

function knownValues(sources: readonly PluginEntry<SourceDefinition>[]): Known {
  const known: Known = { source: upperMap(sources.map((s) => s.name)) };
  if (sources.length === 0) return known;
  const declared = sources.map(producesOf);
  // One source that does not say what it produces could produce anything: check nothing then.
  if (declared.every((d): d is SourceProduces => d !== undefined)) {
    known.exchange = upperMap(declared.map((d) => d.exchange));
    known.market = upperMap(declared.flatMap((d) => d.markets));
  }
  return known;
}

function producesOf(source: PluginEntry<SourceDefinition>): SourceProduces | undefined {
  try {
    return source.definition.produces?.(source.options);
  } catch {
    return undefined; // a plugin's bug must not break validation
  }
}

/** Upper-cased value -> value as written; rules compare values case-insensitively. */
function upperMap(values: readonly string[]): Map<string, string> {
  return new Map(values.map((v) => [v.toUpperCase(), v]));
}

function unknownValue(field: Checked, value: string, known: Known): string | undefined {
  const values = known[field];
  if (!values || values.has(value.toUpperCase())) return undefined;
  const list = [...new Set(values.values())];
  const what = field === 'source' ? 'no source is named' : `no configured source produces ${field}`;
  const near = closest(value, list);
  const listed = list.length > 0 ? ` (${field === 'source' ? 'sources' : `${field}s`}: ${list.join(', ')})` : '';
  return `${what} \`${value}\`${listed}, so this never matches${near ? `; did you mean \`${near}\`?` : ''}`;
}

/** Each value of a match field with its own path: `exchange[1]` in a list, `exchange` for a single text. */
function valuesWithPaths(rawRules: unknown, path: PathSegment[], values: readonly string[] | undefined): [string, PathSegment[]][] {
  if (!values) return [];
  const raw = path.slice(1).reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), rawRules);
  return values.map((value, i) => [value, Array.isArray(raw) ? [...path, i] : path]);
}

/** A rule matches every event when it has no `match`, or one without any value. */
function matchesEverything(match: MatchConfig | undefined): boolean {
  if (!match) return true;
  const { not, ...fields } = match;
  const hasValues = (m: object) => Object.values(m).some((v) => Array.isArray(v) && v.length > 0);
  return !hasValues(fields) && !(not && hasValues(not));
}

/** Summary rules see every event wherever they are, and own none: they neither hide rules nor are hidden. */
function unreachableRules(rules: readonly RuleConfig[]) {
  const owner = rules.findIndex((rule) => !rule.summary && matchesEverything(rule.match) && !rule.continue);
  if (owner === -1) return [];
  const name = rules[owner]?.name ?? '';
  return rules.slice(owner + 1).flatMap((rule, i) => (rule.summary ? [] : [{ rule, index: owner + 1 + i }])).map(({ rule, index }) => ({
    path: ['rules', index, 'name'],
    message: `rule \`${rule.name}\` is never reached: rule \`${name}\` above it matches every event and has no \`continue: true\`; move it above \`${name}\`, or give \`${name}\` a \`match\``,
  }));
}

function rulesToSinksOff(rules: readonly RuleConfig[], sinks: readonly PluginEntry<SinkDefinition>[]) {
  const off = new Set(sinks.filter((s) => s.disabledReason).map((s) => s.name));
  return rules.flatMap((rule, index) =>
    rule.to.length > 0 && rule.to.every((name) => off.has(name))
      ? [{ path: ['rules', index, 'to'], message: `every sink of rule \`${rule.name}\` is off (${rule.to.join(', ')}), so its alerts are not sent` }]
      : [],
  );
}

function unusedSinks(rules: readonly RuleConfig[], sinks: readonly PluginEntry<SinkDefinition>[]) {
  const used = new Set(rules.flatMap((rule) => rule.to));
  return sinks
    .filter((sink) => !used.has(sink.name))
    .map((sink) => ({ path: ['sinks', sink.name], key: true, message: `no rule sends to sink \`${sink.name}\`; add it to a rule's \`to:\`, or remove it` }));
}
