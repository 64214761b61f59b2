/**
 * The names of a new plugin package: its npm name, its plugin name (what `defineSource`/`defineSink`
 * and the events call it) and the folder it is written into, from the NAME a user typed.
 */
import { UsageError } from '@liqmon/core';

/** The kinds of plugin `liqmon new` writes. */
export type PluginKind = 'source' | 'sink';

/** The names of one new plugin package. */
export interface PluginNames {
  /** npm package name: `liqmon-plugin-NAME`, or NAME itself when it is scoped or already so named. */
  packageName: string;
  /** Plugin name: lowercase letters, digits and dashes (`okx` for `liqmon-plugin-okx` or `@acme/liqmon-okx`). */
  pluginName: string;
  /** Default folder name: the package name without its scope. */
  folderName: string;
}

/** The prefix of unscoped plugin packages; the keyword `liqmon-plugin` is what search finds. */
export const PACKAGE_PREFIX = 'liqmon-plugin-';

/** npm's rules for a new package name (lowercase, URL-safe, no leading dot or underscore). */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const MAX_NPM_NAME_LENGTH = 214;
/** Words npm refuses as package names. */
const RESERVED = new Set(['node_modules', 'favicon.ico']);

function invalidName(name: string, why: string): UsageError {
  return new UsageError(`"${name}" cannot name an npm package: ${why}.`, {
    hint: 'Use lowercase letters, digits and dashes, e.g. `liqmon new source okx` or `liqmon new sink @acme/liqmon-chat`.',
  });
}

/**
 * Checks `name` against npm's rules for a new package; throws a UsageError saying what is wrong,
 * quoting `typed` (what the user wrote, before the prefix was added).
 */
export function checkNpmName(name: string, typed: string = name): void {
  const invalid = (why: string) => invalidName(typed, why);
  if (name.length === 0) throw invalid('it is empty');
  if (name.length > MAX_NPM_NAME_LENGTH) throw invalid(`the package name would be longer than ${MAX_NPM_NAME_LENGTH} characters`);
  if (name !== name.toLowerCase()) throw invalid('it has capital letters');
  if (/\s/.test(name)) throw invalid('it has spaces');
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  if (bare.startsWith('.') || bare.startsWith('_')) throw invalid('it starts with a dot or an underscore');
  if (RESERVED.has(bare)) throw invalid(`"${bare}" is reserved`);
  if (!NPM_NAME.test(name)) throw invalid(name.startsWith('@') && !name.includes('/') ? 'a scoped name is @scope/name' : 'it has characters npm does not allow (use a-z, 0-9, - . _ ~)');
}

/** The names of the package `liqmon new KIND NAME` writes. Throws a UsageError for an invalid NAME. */
export function pluginNames(name: string): PluginNames {
  if (name.trim() === '') throw invalidName(name, 'it is empty');
  const scoped = name.startsWith('@');
  const packageName = scoped || name.startsWith(PACKAGE_PREFIX) ? name : `${PACKAGE_PREFIX}${name}`;
  checkNpmName(packageName, name);
  const bare = scoped ? packageName.slice(packageName.indexOf('/') + 1) : packageName;
  const short = bare.replace(/^liqmon-(?:plugin-|source-|sink-)?/, '') || bare;
  // The plugin name is also the `exchange` of a source's events: keep it plain.
  const pluginName = short.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'plugin';
  return { packageName, pluginName, folderName: bare };
}
