/** `liqmon schema`: the JSON Schema of the config file, for editors (yaml-language-server). */
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '@liqmon/core/runtime';

export async function schemaCommand(opts: { output?: string }): Promise<number> {
  const schema = await configJsonSchema({ fromDir: process.cwd() });
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (opts.output) await writeFile(opts.output, text);
  else process.stdout.write(text);
  return 0;
}
