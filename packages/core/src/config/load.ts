/**
 * The config pipeline on a text: parse (YAML with positions) -> interpolate `${VAR}` -> validate core
 * keys -> load plugins and validate their options -> cross-checks. Every stage adds to one list of
 * issues, thrown together as one ConfigError, so the user fixes everything in one round. Finding the
 * file (`--config`, the search of the working directory) is the CLI's job (package `liqmon`).
 */
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { SinkDefinition, SourceDefinition } from '../plugin.js';
import { Redactor } from '../util/redactor.js';
import { crossCheckRules } from './cross-check.js';
import { shortenQuotedValues } from './describe.js';
import { ConfigDocument, ConfigTooComplexError } from './document.js';
import { validateEntries } from './entries.js';
import { readConfigEnv } from './env.js';
import { interpolateDocument, type InterpolationResult } from './interpolate.js';
import { lintConfig } from './lint.js';
import { formatPath, isFormattedUnder } from './paths.js';
import { coreConfigSchema } from './schema.js';
import type { LoadedConfig, PluginEntry } from './types.js';
import { fromZodIssues } from './zod-issues.js';

/** Environment variables as `process.env` holds them. */
export type EnvVars = Readonly<Record<string, string | undefined>>;

/** Options of {@link loadConfigFromText}. */
export interface LoadConfigFromTextOptions {
  /** Path the text came from, for messages (and `LoadedConfig.file`). */
  file?: string;
  /** Folder of the config: `.env`, plugin packages and relative plugin paths are looked up here. */
  dir: string;
  /** @default process.env */
  env?: EnvVars;
  /** Messages name the file relative to this folder. @default process.cwd() */
  cwd?: string;
}

/** Largest config liqmon reads (1 MiB); real ones are a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Runs the whole pipeline on a config text (the CLI after finding the file, tests, `liqmon init`).
 * @throws ConfigError listing every problem found.
 */
export async function loadConfigFromText(text: string, options: LoadConfigFromTextOptions): Promise<LoadedConfig> {
  const dir = path.resolve(options.dir);
  const file = options.file === undefined ? undefined : path.resolve(dir, options.file);
  const shownFile = file === undefined ? undefined : displayPath(file, options.cwd ?? process.cwd());
  const withFile = (issue: ConfigIssue): ConfigIssue => (shownFile ? { ...issue, file: shownFile } : issue);

  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ConfigError([withFile({ path: '', message: `the config is too large (a config can be at most ${MAX_CONFIG_BYTES} bytes, 1 MiB)` })]);
  }
  const { document, issues: syntaxIssues } = ConfigDocument.parse(text);
  if (syntaxIssues.length > 0) throw new ConfigError(syntaxIssues.map(withFile));

  const env = await readConfigEnv(dir, options.env ?? process.env);
  const interpolation = interpolateDocument(document.doc, env.vars);
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    if (error instanceof ConfigTooComplexError) throw new ConfigError([withFile(error.issue)]);
    throw error;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([withFile({ path: '', line: 1, column: 1, message: 'the config must be a mapping of keys (sources:, sinks:, rules:, ...)', hint: 'see docs/configuration.md or run `liqmon init` for a starter config' })]);
  }
  const rawConfig = raw as Record<string, unknown>;
  const envHint = `set it in the environment or in .env beside ${file ? path.basename(file) : 'the config'}`;
  const { sinkMissing, issues } = interpolationIssues(interpolation, document, shownFile, envHint);
  // A value emptied by a missing variable fails its schema too; the missing variable, reported above
  // (or switching its sink off), is the news: report it once.
  const emptied = interpolation.missing.map((m) => formatPath(m.path));
  const notEmptied = (issue: ConfigIssue) => !emptied.some((p) => isFormattedUnder(issue.path, p));

  const core = coreConfigSchema.safeParse(rawConfig, { reportInput: true });
  if (!core.success) {
    issues.push(...fromZodIssues(core.error.issues, { document, file: shownFile, schema: coreConfigSchema, prefix: [] }).filter(notEmptied));
  }

  const entriesContext = { document, file: shownFile, dir, envHint };
  const [sources, sinks] = await Promise.all([
    validateEntries('sources', rawConfig['sources'], { ...entriesContext, missing: [] }),
    validateEntries('sinks', rawConfig['sinks'], { ...entriesContext, missing: sinkMissing }),
  ]);
  issues.push(...sources.issues.filter(notEmptied), ...sinks.issues);

  const sinkNames = isRecord(rawConfig['sinks']) ? Object.keys(rawConfig['sinks']) : [];
  const cross = crossCheckRules(rawConfig['rules'], { document, file: shownFile, sinkNames });
  issues.push(...cross.issues);

  // Redact first, then cut long values: a secret cut in two is no longer recognised.
  const redactor = new Redactor();
  for (const secret of [...sources.secretValues, ...sinks.secretValues]) redactor.add(secret);
  const clean = (text: string) => shortenQuotedValues(redactor.redact(text));
  if (issues.length > 0 || !core.success) {
    throw new ConfigError(sortIssues(issues).map((issue) => cleanIssue(issue, clean)));
  }

  const sourceEntries = sources.entries as PluginEntry<SourceDefinition>[];
  const sinkEntries = sinks.entries as PluginEntry<SinkDefinition>[];
  const warnings = [...disabledWarnings('source', sources.entries), ...disabledWarnings('sink', sinks.entries), ...cross.warnings];
  if (sources.entries.length === 0) warnings.push('no sources are configured: liqmon will receive no liquidations');
  warnings.push(...lintConfig({ document, file: shownFile, core: core.data, rawRules: rawConfig['rules'], sources: sourceEntries, sinks: sinkEntries }));
  return {
    file,
    dir,
    core: core.data,
    sources: sourceEntries,
    sinks: sinkEntries,
    warnings: warnings.map(clean),
  };
}

/**
 * Missing variables inside a sink entry switch that sink off; anywhere else (and in a sink's `use`)
 * they are errors, as are malformed references.
 */
function interpolationIssues(result: InterpolationResult, document: ConfigDocument, file: string | undefined, envHint: string) {
  const issues: ConfigIssue[] = [];
  const sinkMissing = result.missing.filter((m) => m.path[0] === 'sinks' && m.path.length > 2 && m.path[2] !== 'use');
  const at = (p: (string | number)[]): Pick<ConfigIssue, 'file' | 'line' | 'column'> => ({ ...(file ? { file } : {}), ...(document.locate(p) ?? {}) });
  for (const missing of result.missing) {
    if (sinkMissing.includes(missing)) continue;
    issues.push({
      path: formatPath(missing.path),
      message: `environment variable ${missing.name} is ${missing.empty ? 'empty' : 'not set'}`,
      hint: `${envHint}, or give a default: \${${missing.name}:-value}`,
      ...at(missing.path),
    });
  }
  for (const bad of result.malformed) {
    issues.push({
      path: formatPath(bad.path),
      message: `\`${bad.text}\` is not a valid variable reference`,
      hint: 'write ${NAME} or ${NAME:-default} (letters, digits and _); write $${ for a literal ${',
      ...at(bad.path),
    });
  }
  return { sinkMissing, issues };
}

function disabledWarnings(kind: 'source' | 'sink', entries: readonly PluginEntry<unknown>[]): string[] {
  return entries.filter((e) => e.disabledReason).map((e) => `${kind} "${e.name}" is disabled: ${e.disabledReason}`);
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function cleanIssue(issue: ConfigIssue, clean: (text: string) => string): ConfigIssue {
  return {
    ...issue,
    message: clean(issue.message),
    ...(issue.hint ? { hint: clean(issue.hint) } : {}),
  };
}

/** How messages name a config file: `config.yaml` for a file under `cwd`, the absolute path otherwise. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
