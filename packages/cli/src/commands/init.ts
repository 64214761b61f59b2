/**
 * `liqmon init`: write a starter config and `.env.example`, refusing to overwrite without --force.
 *
 * The config's `$schema` line must point at a file that exists, or editors report an error on line 1.
 * When @liqmon/core is installed for the folder (its `node_modules`, or a parent's, as Node resolves
 * it), the line points there, relative to the config, so it follows the installed version. Otherwise
 * (a run through `npx` in an empty folder) there is no schema file to point at: the line is left out
 * and init says how to get completion (docs/decisions.md, 2026-12-04).
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '@liqmon/core';
import { INSTALLED_SCHEMA_PATH, schemaLine, STARTER_CONFIG_BODY, STARTER_ENV_EXAMPLE } from '../starter-config.js';

export async function initCommand(opts: { dir: string; force?: boolean }): Promise<number> {
  const dir = resolve(opts.dir);
  await mkdir(dir, { recursive: true });
  const schema = await installedSchema(dir);
  const files: [string, string][] = [
    [join(dir, 'config.yaml'), schema ? `${schemaLine(schema)}\n${STARTER_CONFIG_BODY}` : STARTER_CONFIG_BODY],
    [join(dir, '.env.example'), STARTER_ENV_EXAMPLE],
  ];
  if (!opts.force) {
    for (const [file] of files) {
      if (await exists(file)) throw new UsageError(`${file} already exists.`, { hint: 'Use --force to overwrite it.' });
    }
  }
  for (const [file, text] of files) await writeFile(file, text);
  const completion = schema
    ? `Editors with the YAML extension complete and check it with the schema at ${schema}.\n`
    : 'For completion in editors, install liqmon in this folder (npm install liqmon) and run `liqmon init --force`, ' +
      'or write the schema with `liqmon schema -o config.schema.json` and start config.yaml with ' +
      '`# yaml-language-server: $schema=./config.schema.json`.\n';
  process.stdout.write(
    `Wrote ${files.map(([f]) => f).join(' and ')}.\n${completion}` +
      'Next: copy .env.example to .env and fill it in, then run `liqmon validate` and `liqmon start`.\n',
  );
  return 0;
}

/** The schema of the @liqmon/core installed for `dir`, as a path relative to it; undefined when none is. */
async function installedSchema(dir: string): Promise<string | undefined> {
  for (let folder = dir; ; folder = dirname(folder)) {
    const candidate = join(folder, INSTALLED_SCHEMA_PATH);
    if (await exists(candidate)) {
      const path = relative(dir, candidate).split(sep).join('/');
      return path.startsWith('.') ? path : `./${path}`;
    }
    if (dirname(folder) === folder) return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
