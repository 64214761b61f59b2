/**
 * `sources:` and `sinks:` entries: load each entry's plugin, validate its options with the plugin's
 * schema made strict, collect its secrets, and decide whether it runs. Sinks whose `${VAR}`s are not
 * set are switched off instead of failing, so a config runs without the secrets of the sinks it
 * cannot use (console only).
 */
import { isLiqmonError, type ConfigIssue } from '../errors.js';
import type { PluginDefinition } from '../plugin.js';
import { loadPlugin } from '../plugins/load.js';
import type { ConfigDocument } from './document.js';
import type { MissingVariable } from './interpolate.js';
import { formatPath, isFormattedUnder, isUnder, type PathSegment } from './paths.js';
import type { PluginEntry } from './types.js';
import { fromZodIssues } from './zod-issues.js';

type Section = 'sources' | 'sinks';

/** What validating the entries of one section found. */
export interface EntriesResult {
  entries: PluginEntry<PluginDefinition>[];
  issues: ConfigIssue[];
  /** Secret values seen (also of entries that failed), to keep out of every message. */
  secretValues: string[];
}

export interface EntriesContext {
  document: ConfigDocument;
  file: string | undefined;
  dir: string;
  /** Variables without a value inside this section's entries. */
  missing: readonly MissingVariable[];
  /** How to say where the `.env` is, for disabled-sink reasons. */
  envHint: string;
}

/** Loads and validates every entry of `sources:` or `sinks:` (in parallel: imports are independent). */
export async function validateEntries(section: Section, raw: unknown, context: EntriesContext): Promise<EntriesResult> {
  const result: EntriesResult = { entries: [], issues: [], secretValues: [] };
  if (!isRecord(raw)) return result; // the core schema reports a wrong type
  const outcomes = await Promise.all(Object.entries(raw).map(([name, entry]) => validateEntry(section, name, entry, context)));
  for (const outcome of outcomes) {
    if (outcome.entry) result.entries.push(outcome.entry);
    result.issues.push(...outcome.issues);
    result.secretValues.push(...outcome.secretValues);
  }
  return result;
}

interface EntryOutcome {
  entry?: PluginEntry<PluginDefinition>;
  issues: ConfigIssue[];
  secretValues: string[];
}

async function validateEntry(section: Section, name: string, raw: unknown, context: EntriesContext): Promise<EntryOutcome> {
  const outcome: EntryOutcome = { issues: [], secretValues: [] };
  if (!isRecord(raw) || typeof raw['use'] !== 'string' || raw['use'] === '') return outcome; // core schema reports it
  const use = raw['use'];
  const entryPath: PathSegment[] = [section, name];
  const missing = context.missing.filter((m) => isUnder(m.path, entryPath));
  const missingReason = missing.length > 0 ? describeMissing(missing, context.envHint) : undefined;
  let definition: PluginDefinition;
  try {
    definition = await loadPlugin(use, section === 'sources' ? 'source' : 'sink', context.dir);
  } catch (error) {
    outcome.issues.push(issueAt(context, [...entryPath, 'use'], error));
    return outcome;
  }

  const { use: _use, enabled: _enabled, ...rawOptions } = raw;
  // `maxFrameBytes` is common to every source and read by core, not by the plugin's schema.
  let maxFrame: number | undefined;
  if (section === 'sources' && 'maxFrameBytes' in rawOptions) {
    const read = readMaxFrameBytes(rawOptions['maxFrameBytes']);
    delete rawOptions['maxFrameBytes'];
    if (typeof read === 'string') outcome.issues.push(issueAt(context, [...entryPath, 'maxFrameBytes'], new Error(read)));
    else maxFrame = read;
  }
  const secretKeys = new Set<string>(definition.secrets ?? []);
  outcome.secretValues.push(...secretsOf(rawOptions, secretKeys));
  const parsed = definition.options.strict().safeParse(rawOptions, { reportInput: true });
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues, {
      document: context.document,
      file: context.file,
      schema: definition.options,
      prefix: entryPath,
      rootKeys: section === 'sources' ? ['use', 'enabled', 'maxFrameBytes'] : ['use', 'enabled'],
      secretKeys,
    });
    // A value emptied by a missing variable is expected to fail; the missing variable is the news.
    const missingPaths = missing.map((m) => formatPath(m.path));
    outcome.issues.push(...issues.filter((issue) => !missingPaths.some((p) => isFormattedUnder(issue.path, p))));
  }
  const options = parsed.success ? (parsed.data as Record<string, unknown>) : rawOptions;
  const disabledReason = missingReason ?? (raw['enabled'] === false ? 'enabled: false' : undefined);
  outcome.entry = {
    name,
    use,
    definition,
    options,
    secrets: secretsOf(options, secretKeys),
    ...(disabledReason ? { disabledReason } : {}),
    ...(maxFrame !== undefined ? { maxFrameBytes: maxFrame } : {}),
    at: { ...(context.file ? { file: context.file } : {}), ...(context.document.locate(entryPath, { key: true }) ?? {}) },
  };
  return outcome;
}

/** Bounds of a source's `maxFrameBytes`: 1 KiB .. 64 MiB (the default, 1 MiB, is in util/frame-size.ts). */
export const MAX_FRAME_BYTES_RANGE = { min: 1_024, max: 67_108_864 } as const;

/** The validated `maxFrameBytes` of a source entry, or the problem as a sentence. */
function readMaxFrameBytes(value: unknown): number | string {
  const { min, max } = MAX_FRAME_BYTES_RANGE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  return `maxFrameBytes must be a whole number of bytes from ${min} to ${max} (default 1048576, 1 MiB), got ${JSON.stringify(value)}`;
}

/** `TELEGRAM_BOT_TOKEN is not set (set it in the environment or in .env beside config.yaml)` */
function describeMissing(missing: readonly MissingVariable[], envHint: string): string {
  const names = [...new Set(missing.map((m) => m.name))];
  const allEmpty = missing.every((m) => m.empty);
  const verb = names.length === 1 ? 'is' : 'are';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const hint = names.length === 1 ? envHint : envHint.replace(/^set it /, 'set them ');
  return `${list} ${verb} ${allEmpty ? 'empty' : 'not set'} (${hint})`;
}

function secretsOf(options: Record<string, unknown>, keys: ReadonlySet<string>): string[] {
  const values: string[] = [];
  for (const key of keys) {
    const value = options[key];
    if (typeof value === 'string' && value !== '') values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((v): v is string => typeof v === 'string' && v !== ''));
  }
  return values;
}

function issueAt(context: EntriesContext, path: PathSegment[], error: unknown): ConfigIssue {
  const position = context.document.locate(path);
  const message = error instanceof Error ? error.message : String(error);
  const hint = isLiqmonError(error) ? error.hint : undefined;
  return {
    path: formatPath(path),
    message,
    ...(hint ? { hint } : {}),
    ...(context.file ? { file: context.file } : {}),
    ...(position ?? {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
