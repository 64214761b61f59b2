/**
 * The variables `${VAR}` reads: the environment given to the loader, over a `.env` file beside the
 * config. The `.env` is parsed with dotenv's `parse` and never written to `process.env`, so loading
 * a config has no side effect on the process (and two configs in one process do not leak into each other).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'dotenv';

/** Variables visible to interpolation, with where the `.env` was looked for (for hints). */
export interface ConfigEnv {
  vars: Readonly<Record<string, string | undefined>>;
  /** Path of the `.env` beside the config (whether or not it exists). */
  dotEnvPath: string;
  /** True when that file exists. */
  dotEnvFound: boolean;
}

/** Reads `<dir>/.env` if present and lays `env` over it: the real environment wins. */
export async function readConfigEnv(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<ConfigEnv> {
  const dotEnvPath = path.join(dir, '.env');
  let fromFile: Record<string, string> = {};
  let dotEnvFound = false;
  try {
    fromFile = parse(await readFile(dotEnvPath, 'utf8'));
    dotEnvFound = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const vars: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) vars[name] = value;
  return { vars, dotEnvPath, dotEnvFound };
}
