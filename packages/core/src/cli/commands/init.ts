/** `liqmon init`: write a starter config and `.env.example`, refusing to overwrite without --force. */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { STARTER_CONFIG_BODY, STARTER_ENV_EXAMPLE, STARTER_SCHEMA_LINE } from '../starter-config.js';

export async function initCommand(opts: { dir: string; force?: boolean }): Promise<number> {
  const dir = resolve(opts.dir);
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [join(dir, 'config.yaml'), `${STARTER_SCHEMA_LINE}\n${STARTER_CONFIG_BODY}`],
    [join(dir, '.env.example'), STARTER_ENV_EXAMPLE],
  ];
  if (!opts.force) {
    for (const [file] of files) {
      if (await exists(file)) throw new UsageError(`${file} already exists.`, { hint: 'Use --force to overwrite it.' });
    }
  }
  for (const [file, text] of files) await writeFile(file, text);
  process.stdout.write(
    `Wrote ${files.map(([f]) => f).join(' and ')}.\nNext: copy .env.example to .env and fill it in, then run \`liqmon validate\` and \`liqmon start\`.\n`,
  );
  return 0;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
