/**
 * Config loading and validation, public surface. See docs/configuration.md.
 */
export { loadConfigFromText, MAX_CONFIG_BYTES, type EnvVars, type LoadConfigFromTextOptions } from './load.js';
export { configJsonSchema } from './json-schema.js';
export { loadPlugin } from '../plugins/load.js';
export { BUILTIN_ALIASES } from '../plugins/aliases.js';
export type { LoadedConfig, PluginEntry } from './types.js';
