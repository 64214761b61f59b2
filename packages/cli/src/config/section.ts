/**
 * One section of a config file, read without the rest of the pipeline: `${VAR}` interpolation (the
 * environment and a `.env` beside the config) and that section's schema only, no plugins. For commands
 * that must work from a shell lacking the secrets of sources and sinks (`liqmon status` reads `http:`,
 * `liqmon stats` and `export` read `store:`).
 */
import path from 'node:path';
import { ConfigError, type z } from '@liqmon/core';
import { ConfigDocument, interpolateDocument, readConfigEnv } from '@liqmon/core/runtime';
import { findConfigFile } from './find.js';

/** Where to find the config. */
export interface SectionOptions {
  /** `--config` path; when absent, the current folder is searched as for every command. */
  configPath?: string;
  /** @default process.cwd() */
  cwd?: string;
}

/**
 * The config file and its section `key` validated by `schema` (undefined when the file has none).
 * @throws ConfigNotFoundError; ConfigError for YAML errors and for what the schema rejects, with line and column.
 */
export async function readConfigSection<S extends z.ZodType>(options: SectionOptions, key: string, schema: S): Promise<{ file: string; value: z.output<S> | undefined }> {
  const cwd = options.cwd ?? process.cwd();
  const { file, text } = await findConfigFile({ cwd, ...(options.configPath !== undefined ? { configPath: options.configPath } : {}) });
  const shown = path.relative(cwd, file) || file;
  const { document, issues } = ConfigDocument.parse(text);
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => ({ ...issue, file: shown })));
  const env = await readConfigEnv(path.dirname(file), process.env);
  interpolateDocument(document.doc, env.vars);
  const raw = (document.toJS() as Record<string, unknown> | null)?.[key];
  if (raw === undefined || raw === null) return { file, value: undefined };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ path: [key, ...issue.path].join('.'), message: issue.message, file: shown, ...(document.locate([key, ...issue.path.map(String)]) ?? {}) })),
    );
  }
  return { file, value: parsed.data as z.output<S> };
}
