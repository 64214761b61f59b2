/**
 * Opening the store of a config for reading (`liqmon stats`, `export`, `replay --from-db`): only the
 * `store:` section of the config is read (no plugins, no secrets needed), and the file is opened
 * read-only, beside a running `liqmon start` (WAL readers never block it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from '@liqmon/core';
import { storeSchema } from '@liqmon/core/runtime';
import { openDatabase, type StoreDatabase } from '@liqmon/store';
import { readConfigSection, type SectionOptions } from '../config/section.js';
import { DEFAULT_STORE_FILE, storeFile } from './location.js';

/**
 * The store of the config, open read-only.
 * @throws StoreError when the config says `store: false`, when there is no file yet, or when it cannot be read.
 */
export async function openStoreReader(options: SectionOptions): Promise<{ db: StoreDatabase; file: string }> {
  const { file: config, value } = await readConfigSection(options, 'store', storeSchema);
  const dir = path.dirname(config);
  const file = storeFile(value ?? storeSchema.parse({}), dir);
  if (file === undefined) {
    throw new StoreError('other', config, `${config} says \`store: false\`: liqmon keeps no history, so there is nothing to read.`, `Remove \`store: false\` (the store is on by default: ${path.join(dir, DEFAULT_STORE_FILE)}) and let \`liqmon start\` run.`);
  }
  if (!existsSync(file)) {
    throw new StoreError('other', file, `There is no store at ${file} yet: \`liqmon start\` writes it.`, `Run \`liqmon start -c ${config}\` first, or check \`store.path\` in the config.`);
  }
  return { db: openDatabase(file, { readonly: true }), file };
}
