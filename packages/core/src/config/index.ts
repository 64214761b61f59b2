/**
 * Config loading and validation, public surface. See docs/configuration.md.
 */
export { loadConfig, loadConfigFromText, type EnvVars, type LoadConfigFromTextOptions, type LoadConfigOptions } from './load.js';
export { configJsonSchema } from './json-schema.js';
export { CONFIG_SEARCH_PLACES } from './find.js';
export { loadPlugin } from '../plugins/load.js';
export { BUILTIN_ALIASES } from '../plugins/aliases.js';
export type { LoadedConfig, PluginEntry } from './types.js';
